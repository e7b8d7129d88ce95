"""Words of training pictures: losses, presets, strategies."""

WORDS = {
    "train.title.loss": {"en": "Training loss of every update", "zh": "每次参数更新的训练损失"},
    "train.axis.update": {"en": "update", "zh": "参数更新次数"},
    "train.axis.loss": {"en": "loss", "zh": "损失"},
    "train.label.update_loss": {"en": "loss of one update", "zh": "单次更新的损失"},
    "train.label.epoch_loss": {"en": "mean over each epoch", "zh": "每个 epoch 的平均损失"},
    "train.label.moving": {"en": "moving average ({n} updates)", "zh": "滑动平均（{n} 次更新）"},
    "train.subtitle": {"en": "{model} · {preset} · {optimizer} lr {lr} · {updates} updates",
                       "zh": "{model} · {preset} · {optimizer} 学习率 {lr} · 共 {updates} 次更新"},
}
