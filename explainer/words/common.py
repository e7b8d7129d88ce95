"""Words shared by every picture: the recorded quantities, models, axes, units."""

WORDS = {
    # gates and states (colah's names, the source's Chinese terms)
    "gate.i": {"en": "input gate", "zh": "输入门"},
    "gate.f": {"en": "forget gate", "zh": "遗忘门"},
    "gate.g": {"en": r"candidate $\tilde{C}$", "zh": r"候选值 $\tilde{C}$"},
    "gate.o": {"en": "output gate", "zh": "输出门"},
    "gate.r": {"en": "reset gate", "zh": "重置门"},
    "gate.z": {"en": "update gate", "zh": "更新门"},
    "gate.n": {"en": "new state", "zh": "新状态"},
    "state.c": {"en": "cell state", "zh": "单元状态"},
    "state.h": {"en": "hidden state", "zh": "隐藏状态"},
    "state.x": {"en": "input", "zh": "输入"},
    "state.y": {"en": "output", "zh": "输出"},
    "short.i": {"en": "i", "zh": "i"},
    # models
    "model.rnn_tanh": {"en": "RNN", "zh": "RNN"},
    "model.rnn_relu": {"en": "RNN (ReLU)", "zh": "RNN (ReLU)"},
    "model.lstm": {"en": "LSTM", "zh": "LSTM"},
    "model.gru": {"en": "GRU", "zh": "GRU"},
    # axes and generic labels
    "axis.step": {"en": "step t", "zh": "时间步 t"},
    "axis.unit": {"en": "unit", "zh": "神经元"},
    "axis.value": {"en": "value", "zh": "数值"},
    "axis.token": {"en": "token", "zh": "词"},
    "axis.x": {"en": "x", "zh": "x"},
    "label.unit": {"en": "unit {u}", "zh": "神经元 {u}"},
    "label.step": {"en": "step {t}", "zh": "第 {t} 步"},
    "label.found_units": {"en": "gender units", "zh": "性别神经元"},
    "label.intervened": {"en": "intervened: {what}", "zh": "干预：{what}"},
    "warn.nonfinite": {"en": "{n} NaN/Inf values not drawn", "zh": "{n} 个 NaN/Inf 值未绘制"},
}
