"""Words of the forget gate, measured: the `forget-reset` figure, and the phrases its scenes share
(each unit's sign, the forget gate's selectivity, forgets or overwrites). Numbers are filled from
`explainer.reading.forget`."""

WORDS = {
    # forget-reset: title, panels, the explained step
    "forget.title.flip": {"en": "New subject “{word}”: the model's gender evidence flips from “{old}” to “{new}”",
                          "zh": "新主语“{word}”：模型的性别证据从“{old}”翻转为“{new}”"},
    "forget.title.stay": {"en": "New subject “{word}”: the model's gender evidence stays on “{side}”",
                          "zh": "新主语“{word}”：模型的性别证据仍偏向“{side}”"},
    "forget.evidence": {"en": "evidence e", "zh": "证据 e"},
    "forget.evidence_title": {
        "en": "readout's gender evidence e = logit(“{he}”) − logit(“{she}”) = Σ w·h + b (thin: each unit's w·h)",
        "zh": "输出层的性别证据 e = logit(“{he}”) − logit(“{she}”) = Σ w·h + b（细线：各神经元的 w·h）"},
    "forget.says": {"en": "“{word}”", "zh": "“{word}”"},
    "forget.c": {"en": "cell state C", "zh": "单元状态 C"},
    "forget.f": {"en": "forget gate f", "zh": "遗忘门 f"},
    "forget.unit_sign": {"en": "unit {u} (r = {r}: + = “{pos}”)", "zh": "神经元 {u}（r = {r}：正 = “{pos}”）"},
    "forget.unit_w": {"en": "unit {u}", "zh": "神经元 {u}"},
    "forget.others": {"en": "other {n} units (mean)", "zh": "其余 {n} 个神经元（均值）"},
    "forget.arrow": {"en": "“{word}”: f = {f}", "zh": "“{word}”：f = {f}"},
    # the measured numbers (right-hand panels)
    "forget.measured": {"en": "Measured on {passages} evaluation passages ({n} new subjects)",
                        "zh": "在 {passages} 段评估文本上测量\n（{n} 个新主语）"},
    "forget.bars_title": {"en": "mean forget gate f at …", "zh": "遗忘门 f 的均值，位置："},
    "forget.place.before": {"en": "the “;”\nbefore", "zh": "之前的\n“；”"},
    "forget.place.name": {"en": "the new\nname", "zh": "新主语\n名字"},
    "forget.place.gender_word": {"en": "its gender\nword", "zh": "它的\n性别词"},
    "forget.place.elsewhere": {"en": "elsewhere", "zh": "其他\n位置"},
    "forget.step.name": {"en": "name", "zh": "名字"},
    "forget.step.gender_word": {"en": "gender word", "zh": "性别词"},
    "forget.bars.units": {"en": "units {units}", "zh": "神经元 {units}"},
    "forget.bars.others": {"en": "other {n} units", "zh": "其余 {n} 个神经元"},
    "forget.share_title": {"en": "change of C on units {units} at the new subject's {step}",
                           "zh": "新主语{step}处，\n神经元 {units} 上 C 的变化"},
    "forget.share.all": {"en": "{n} new subjects\nof the other gender", "zh": "{n} 个性别\n不同的新主语"},
    "forget.share.here": {"en": "here, at\n“{word}”", "zh": "这里\n“{word}”处"},
    "forget.reset": {"en": r"reset $-(1-f)\odot C$", "zh": r"遗忘 $-(1-f)\odot C$"},
    "forget.write": {"en": r"write $i\odot\tilde{C}$", "zh": r"写入 $i\odot\tilde{C}$"},
    "forget.verdict.forgets": {"en": "The forget gate does most of the change, as the textbook says.",
                               "zh": "大部分变化来自遗忘门，与教科书一致。"},
    "forget.verdict.overwrites": {"en": "The textbook says f forgets; this network mostly overwrites.",
                                  "zh": "教科书说 f 负责遗忘；这个网络主要靠覆盖写入。"},
    "forget.verdict.both": {"en": "The textbook says f forgets; here forgetting and writing share the change.",
                            "zh": "教科书说 f 负责遗忘；这里遗忘与写入各占一部分。"},
    "forget.verdict.unknown": {"en": "", "zh": ""},
    # the measured numbers as the scenes say them (filled by reading.forget.said)
    "forget.say.selectivity": {
        "en": "Over {n} new subjects: f on units {units} is {before} at the “;” before, {at} at the {step}, "
              "{elsewhere} elsewhere; on the other units, {others} at the {step}.",
        "zh": "在 {n} 个新主语上：神经元 {units} 的 f 在之前的“；”处为 {before}，在{step}处为 {at}，"
              "其他位置为 {elsewhere}；其余神经元在{step}处为 {others}。"},
    "forget.say.change": {
        "en": "At the {step}, {reset} of the change of C is forgetting, −(1−f)⊙C, and {write} is writing, i⊙C̃.",
        "zh": "在{step}处，C 的变化中遗忘 −(1−f)⊙C 占 {reset}，写入 i⊙C̃ 占 {write}。"},
    "forget.say.here": {"en": "Here, at “{word}”: {reset} of the change of C is forgetting, {write} writing.",
                        "zh": "这里“{word}”处：C 的变化中遗忘占 {reset}，写入占 {write}。"},
    "forget.say.sign": {"en": "unit {units}: C > 0 says “{pos}”, C < 0 “{neg}”",
                        "zh": "神经元 {units}：C > 0 表示“{pos}”，C < 0 表示“{neg}”"},
    "forget.say.signs": {"en": "units {units}: C > 0 says “{pos}”, C < 0 “{neg}”",
                         "zh": "神经元 {units}：C > 0 表示“{pos}”，C < 0 表示“{neg}”"},
    "forget.chosen": {"en": "Units chosen with --units:\nthe measured means are of\nthe discovered units {units}",
                      "zh": "用 --units 选定的神经元：\n测量的均值属于\n发现的神经元 {units}"},
    "forget.unmeasured": {"en": "This trace carries no measured\nforget gate; trace the checkpoint\nagain with `explainer trace`",
                          "zh": "这条记录没有遗忘门的测量；\n请用 `explainer trace`\n重新记录"},
    "forget.criterion": {
        "en": "Units: the {k} with the largest share of the readout's he−she evidence before a subject's pronoun "
              "({shares}) · each unit's sign from the correlation of its C with the subject's gender",
        "zh": "神经元：在主语代词之前，占输出层“他−她”证据份额最大的 {k} 个（{shares}）· "
              "每个神经元的正负号取自其 C 与主语性别的相关",
    },
    "forget.criterion_corr": {
        "en": "Units: the {k} whose C correlates most with the subject's gender · each unit's sign from that correlation",
        "zh": "神经元：C 与主语性别相关最强的 {k} 个 · 每个神经元的正负号取自该相关",
    },
}
