"""Words of Karpathy's coloured-text pictures: the `text` figure, its HTML page, the CellText scene.

The features are the ones unit discovery on text correlates with (`explainer/probes/`): a
name it stores in `units_found` reads as the noun phrase here ("indentation"); a feature of
the user's own, not listed, is shown by its name in quotes (`feature_words`).
"""

#: Feature name (as discovery stores it, with the spellings it may use) -> (en, zh) noun.
FEATURES = {
    "indent": ("indentation", "缩进"),
    "indentation": ("indentation", "缩进"),
    "string": ("string", "字符串"),
    "in_string": ("string", "字符串"),
    "comment": ("comment", "注释"),
    "in_comment": ("comment", "注释"),
    "bracket": ("bracket-depth", "括号深度"),
    "brackets": ("bracket-depth", "括号深度"),
    "bracket_depth": ("bracket-depth", "括号深度"),
    "depth": ("bracket-depth", "括号深度"),
    "column": ("column", "列位置"),
    "word_start": ("word-start", "词首"),
    "word": ("word-start", "词首"),
    "gender": ("gender", "性别"),
}

WORDS = {
    **{f"textpic.feature.{name}": {"en": en, "zh": zh} for name, (en, zh) in FEATURES.items()},
    "textpic.feature.other": {"en": "“{name}”", "zh": "“{name}”"},
    # the figure's title: which unit, and why it is the one drawn
    "textpic.title.feature": {"en": "{unit} — {feature} unit, r = {r}", "zh": "{unit} — {feature}神经元，r = {r}"},
    "textpic.title.unit": {"en": "{unit}, character by character", "zh": "{unit}，逐个字符"},
    "textpic.title.default": {"en": "{unit} — the first unit of the top layer's {state}",
                              "zh": "{unit} — 最上层{state}的第一个神经元"},
    "textpic.why.found": {"en": "the unit discovery found most strongly, of any feature (--unit or --feature for "
                                "another)",
                          "zh": "所有特征中相关最强的已发现神经元（换一个：--unit 或 --feature）"},
    "textpic.why.feature": {"en": "the best unit discovered for this feature",
                            "zh": "为该特征发现的最佳神经元"},
    "textpic.why.default": {"en": "this trace has no discovered units (--unit L.KIND.N for another)",
                            "zh": "该轨迹没有已发现的神经元（换一个：--unit L.KIND.N）"},
    "textpic.r_means": {"en": "r: correlation with the {feature} feature, stored at discovery",
                        "zh": "r：与{feature}特征的相关系数（发现神经元时存下）"},
    # how much of the text is drawn
    "textpic.shown.all": {"en": "{n} characters, {lines} lines", "zh": "{n} 个字符，{lines} 行"},
    "textpic.shown.one_line": {"en": "{n} characters, one line", "zh": "{n} 个字符，1 行"},
    "textpic.shown.cut": {"en": "the first {n} of {total} characters ({lines} of {total_lines} lines)",
                          "zh": "{total} 个字符中的前 {n} 个（{total_lines} 行中的 {lines} 行）"},
    "textpic.mark.newline": {"en": "↵ line break", "zh": "↵ 换行"},
    "textpic.mark.wrapped": {"en": "↪ wrapped line", "zh": "↪ 折行"},
    "textpic.bar": {"en": "{unit} after reading the character", "zh": "读到该字符后 {unit} 的值"},
    "textpic.tooltip": {"en": "step {t} · “{char}” · {value}", "zh": "第 {t} 步 · “{char}” · {value}"},
    "textpic.nan": {"en": "grey: NaN/Inf", "zh": "灰色：NaN/Inf"},
    # the CellText scene
    "celltext.title": {"en": "What one unit follows in a text", "zh": "一个神经元在文本中追踪什么"},
    "celltext.lines": {"en": "lines {a}–{b} of {n}", "zh": "第 {a}–{b} 行（共 {n} 行）"},
    "celltext.colours.signed": {"en": "Each character's background: {unit} after reading it, red above 0, blue below.",
                                "zh": "每个字符的底色：读到它之后 {unit} 的值，红色大于 0，蓝色小于 0。"},
    "celltext.colours.gate": {"en": "Each character's background: {unit} after reading it, from white (0) to full (1).",
                              "zh": "每个字符的底色：读到它之后 {unit} 的值，从白色（0）到最深（1）。"},
    "celltext.cell": {"en": "Right: the same unit's gates f, i, o and its cell state c at the marked character.",
                      "zh": "右侧：同一个神经元在标记字符处的门 f、i、o 和单元状态 c。"},
    "celltext.follows": {"en": "Discovery found it follows {feature}: r = {r} (stored with the trace).",
                         "zh": "发现它追踪{feature}：r = {r}（随轨迹存下）。"},
    "celltext.no_feature": {"en": "Discovery stored no feature for this unit: what it follows is for you to read.",
                            "zh": "没有为这个神经元存下特征：它追踪什么，要从颜色里读。"},
    "celltext.whole": {"en": "The whole text, coloured the same way: explainer figure text --unit {spec}",
                       "zh": "整段文本同样着色：explainer figure text --unit {spec}"},
    "celltext.value": {"en": "at “{char}”", "zh": "在“{char}”处"},
}
