"""Words of the sine pictures: the data, predictions, errors."""

WORDS = {
    "sine.title.data": {"en": "The data: a noisy sine, 400 points", "zh": "数据：带噪声的正弦序列，400 个点"},
    "sine.label.data": {"en": "y = sin(x) + U(0, 0.2) noise", "zh": "y = sin(x) + U(0, 0.2) 噪声"},
    "sine.label.train": {"en": "training: first 320 points", "zh": "训练集：前 320 个点"},
    "sine.label.test": {"en": "test: last 80 points", "zh": "测试集：后 80 个点"},
    "sine.label.window": {"en": "a window of {n} points …", "zh": "{n} 个点的窗口……"},
    "sine.label.next": {"en": "… predicts the next one", "zh": "……预测下一个点"},
    "sine.axis.y": {"en": "y", "zh": "y"},
}
