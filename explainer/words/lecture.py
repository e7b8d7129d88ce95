"""Words of the lecture: chapter titles (for the chapter list and players' chapter menus)."""

WORDS = {
    "lecture.chapter.title": {"en": "Title", "zh": "标题"},
    "lecture.chapter.sine": {"en": "The noisy sine", "zh": "带噪声的正弦序列"},
    "lecture.chapter.unrolled": {"en": "The RNN unrolled", "zh": "展开的 RNN"},
    "lecture.chapter.training": {"en": "Training", "zh": "训练"},
    "lecture.chapter.predict": {"en": "Single-step prediction", "zh": "单步预测"},
    "lecture.chapter.multistep": {"en": "Multi-step prediction", "zh": "多步预测"},
    "lecture.chapter.shapes": {"en": "FAQ: shapes and hidden_size", "zh": "常见问题：形状与 hidden_size"},
    "lecture.chapter.strategies": {"en": "FAQ: training strategies", "zh": "常见问题：训练策略"},
    "lecture.chapter.long-term": {"en": "The long-term dependency problem", "zh": "长期依赖问题"},
    "lecture.chapter.lstm-cell": {"en": "The LSTM cell", "zh": "LSTM 单元"},
    "lecture.chapter.forget": {"en": "The forget gate", "zh": "遗忘门"},
    "lecture.chapter.input": {"en": "The input gate", "zh": "输入门"},
    "lecture.chapter.cell": {"en": "The cell update", "zh": "单元状态更新"},
    "lecture.chapter.output": {"en": "The output gate", "zh": "输出门"},
    "lecture.chapter.pronoun": {"en": "The pronoun example", "zh": "代词的例子"},
    "lecture.chapter.long-range": {"en": "RNN against LSTM at long range", "zh": "长距离上的 RNN 与 LSTM"},
    "lecture.chapter.summary": {"en": "Summary", "zh": "总结"},
}
