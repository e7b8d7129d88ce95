"""Words of the trace pictures: gate heatmaps, gate saturation, the forget gate's reset."""

WORDS = {
    # shared by the three figures
    "traces.panel": {"en": "{symbol}: {name}", "zh": "{symbol}：{name}"},
    "traces.found_units": {"en": "units that track the subject's gender ({state}): {units}",
                           "zh": "追踪主语性别的神经元（{state}）：{units}"},
    # gates: heatmaps of units x time
    "traces.gates.title": {"en": "Inside the {model}: every gate and state, step by step",
                           "zh": "{model} 内部：每个门和每个状态，逐个时间步"},
    "traces.gates.subtitle": {"en": "{steps} steps × {units} units · gates from 0 (closed) to 1 (open) · states signed",
                              "zh": "{steps} 个时间步 × {units} 个神经元 · 门的取值从 0（关闭）到 1（打开）· 状态有正有负"},
    "traces.gates.subtitle_some": {"en": "{steps} steps × {k} of {units} units · gates from 0 (closed) to 1 (open) · states signed",
                                   "zh": "{steps} 个时间步 × {units} 个神经元中的 {k} 个 · 门的取值从 0（关闭）到 1（打开）· 状态有正有负"},
    "traces.gates.clipped": {"en": "{q}: colours saturate beyond ±{v}", "zh": "{q}：超过 ±{v} 的颜色不再加深"},
    # saturation: Karpathy, Johnson, Fei-Fei 2015, Figure 3
    "traces.sat.title": {"en": "How often is each gate saturated? ({model})",
                         "zh": "每个门有多少时间处于饱和？（{model}）"},
    "traces.sat.subtitle": {"en": "one dot per unit · counted over {n} steps ({rows} × {time}) · after Karpathy et al. (2015)",
                            "zh": "每个点代表一个神经元 · 统计了 {n} 个时间步（{rows} × {time}）· 仿照 Karpathy 等人（2015）"},
    "traces.sat.subtitle_padded": {"en": "one dot per unit · counted over the {n} real steps of {rows} rows (padding "
                                         "left out) · after Karpathy et al. (2015)",
                                   "zh": "每个点代表一个神经元 · 统计了 {rows} 行中真实的 {n} 个时间步（不计填充）"
                                         "· 仿照 Karpathy 等人（2015）"},
    "traces.sat.x": {"en": "fraction of steps < 0.1 (closed)", "zh": "门值 < 0.1 的时间步比例（关闭）"},
    "traces.sat.y": {"en": "fraction > 0.9 (open)", "zh": "门值 > 0.9 的比例（打开）"},
    "traces.sat.diagonal": {"en": "always saturated", "zh": "始终饱和"},
    "traces.sat.open": {"en": "always open", "zh": "一直打开"},
    "traces.sat.closed": {"en": "always closed", "zh": "一直关闭"},
    "traces.sat.units": {"en": "gender units: {units}", "zh": "性别神经元：{units}"},
    "traces.sat.layer": {"en": "layer {layer}", "zh": "第 {layer} 层"},
    # forget-reset: colah's example, the forget gate drops the old subject's gender
    "traces.fr.title": {"en": "A new subject arrives: the forget gate wipes the old gender",
                        "zh": "新主语出现：遗忘门清除旧主语的性别"},
    "traces.fr.c": {"en": "cell state c", "zh": "单元状态 c"},
    "traces.fr.f": {"en": "forget gate f", "zh": "遗忘门 f"},
    "traces.fr.p": {"en": "P({she})", "zh": "P({she})"},
    "traces.fr.p_title": {"en": "readout: probability that the next pronoun is “{she}” (vs “{he}”)",
                          "zh": "输出层：下一个代词是“{she}”（而不是“{he}”）的概率"},
    "traces.fr.subject": {"en": "subject: {name} ({gender})", "zh": "主语：{name}（{gender}）"},
    "traces.fr.female": {"en": "female", "zh": "女"},
    "traces.fr.male": {"en": "male", "zh": "男"},
    "traces.fr.new_subject": {"en": "new subject", "zh": "新主语"},
    "traces.fr.gender_word": {"en": "its gender word", "zh": "性别词"},
    "traces.fr.closes": {"en": "new subject: the forget gate closes", "zh": "新主语：遗忘门关闭"},
    "traces.fr.caption": {
        "en": "Measured when the units were found ({n} new subjects in the evaluation passages), mean forget gate of units {units}:\n"
              "{word:.2f} at the new subject's gender word · {name:.2f} at its name · {elsewhere:.2f} elsewhere",
        "zh": "发现这些神经元时的测量（评估文本中的 {n} 个新主语），神经元 {units} 的遗忘门均值：\n"
              "新主语的性别词处 {word:.2f} · 名字处 {name:.2f} · 其他位置 {elsewhere:.2f}",
    },
}
