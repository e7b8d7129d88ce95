"""Words of the sine pictures: the data, the source's window tables, multi-step forecasts and their error by horizon.

`preset_key` names the words of a training preset (the source's `seed` setup, the `tuned`
one, any other by its name), so figures and scenes call a preset the same.
"""

#: Presets with words of their own; any other is "preset NAME".
PRESETS = ("seed", "tuned")


def preset_key(preset: str | None) -> str:
    """The word key of a preset: `sine.preset.seed`, `sine.preset.tuned`, else `sine.preset.other` (takes {preset})."""
    return f"sine.preset.{preset}" if preset in PRESETS else "sine.preset.other"


WORDS = {
    "sine.title.data": {"en": "The data: a noisy sine, 400 points", "zh": "数据：带噪声的正弦序列，400 个点"},
    "sine.label.data": {"en": "y = sin(x) + U(0, 0.2) noise", "zh": "y = sin(x) + U(0, 0.2) 噪声"},
    "sine.label.train": {"en": "training: first 320 points", "zh": "训练集：前 320 个点"},
    "sine.label.test": {"en": "test: last 80 points", "zh": "测试集：后 80 个点"},
    "sine.label.window": {"en": "a window of {n} points …", "zh": "{n} 个点的窗口……"},
    "sine.label.next": {"en": "… predicts the next one", "zh": "……预测下一个点"},
    "sine.axis.y": {"en": "y", "zh": "y"},
    # presets and models
    "sine.preset.seed": {"en": "seed preset", "zh": "原教程设置"},
    "sine.preset.tuned": {"en": "tuned preset", "zh": "调优设置"},
    "sine.preset.other": {"en": "preset {preset}", "zh": "“{preset}”设置"},
    "sine.who": {"en": "{model} · {preset}", "zh": "{model} · {preset}"},
    # what a free-running forecast does (probes.horizon.Collapse.verdict)
    "sine.forecast.collapses": {"en": "collapses to a constant ≈ {v} within {k} steps",
                                "zh": "{k} 步之内坍缩成一个常数 ≈ {v}"},
    "sine.forecast.holds": {"en": "holds the phase (correlation with the truth {r})",
                            "zh": "保持住了相位（与真实值的相关系数 {r}）"},
    "sine.forecast.drifts": {"en": "drifts away from the truth (correlation {r})",
                             "zh": "偏离了真实值（相关系数 {r}）"},
    # figure horizon
    "sine.horizon.title": {"en": "Multi-step error against the horizon", "zh": "多步预测误差随预测步数的变化"},
    "sine.horizon.subtitle": {"en": "from every start point of the test range, each prediction fed back as input; "
                                    "mean over {first} starts at h = 1 … {last} at h = {H}",
                              "zh": "从测试集的每个起点出发，每步的预测值都作为下一步的输入；"
                                    "h = 1 时对 {first} 个起点取平均……h = {H} 时对 {last} 个"},
    "sine.horizon.axis.x": {"en": "horizon h: steps ahead", "zh": "预测步数 h：向前预测几步"},
    "sine.horizon.axis.y": {"en": "MSE at horizon h (log scale)", "zh": "第 h 步的 MSE（对数坐标）"},
    "sine.horizon.line": {"en": "{who}: {a} → {b}", "zh": "{who}：{a} → {b}"},
    "sine.horizon.floor": {"en": "noise floor {v} (best possible)", "zh": "噪声下限 {v}（理论最优）"},
    "sine.horizon.mean": {"en": "always guessing the mean: {v}", "zh": "始终预测平均值：{v}"},
    "sine.horizon.shape.grows": {
        "en": "{who}: the error grows at every step, from {a} (h = 1) to {b} (h = {H}), {x}×",
        "zh": "{who}：误差每一步都在增大，从 {a}（h = 1）到 {b}（h = {H}），增大到 {x} 倍"},
    "sine.horizon.shape.rises": {
        "en": "{who}: the error rises from {a} (h = 1) to {b} (h = {H}), {x}×, not at every step: largest {p} at h = {hp}",
        "zh": "{who}：误差从 {a}（h = 1）升到 {b}（h = {H}），增大到 {x} 倍，但不是每一步都增大：h = {hp} 时最大，为 {p}"},
    "sine.horizon.shape.stays": {
        "en": "{who}: no steady growth; the error stays between {lo} and {hi} (largest at h = {hp}), "
              "{flo}–{fhi}× the noise floor",
        "zh": "{who}：误差没有随步数稳定增大，一直在 {lo} 到 {hi} 之间（h = {hp} 时最大），是噪声下限的 {flo}–{fhi} 倍"},
    "sine.horizon.shape.falls": {"en": "{who}: the error falls from {a} (h = 1) to {b} (h = {H})",
                                 "zh": "{who}：误差从 {a}（h = 1）降到 {b}（h = {H}）"},
    # figure windows (the source's tables)
    "sine.windows.title": {"en": "The source's windows: single-step against multi-step prediction",
                           "zh": "原教程中的窗口：单步预测与多步预测"},
    "sine.windows.subtitle": {"en": "real numbers: the noisy sine y and the predictions of {who}; the test range starts at y[{c}]",
                              "zh": "真实的数值：带噪声的正弦序列 y 和 {who} 的预测值；测试集从 y[{c}] 开始"},
    "sine.windows.single": {"en": "Single-step prediction: every window holds true values",
                            "zh": "单步预测：每个窗口里都是真实值"},
    "sine.windows.multi": {"en": "Multi-step prediction: each prediction is fed back into the window",
                           "zh": "多步预测：每次的预测值都放回窗口，作为新的输入"},
    "sine.windows.gap.single": {"en": "one window per test point, always true values, up to the last",
                                "zh": "每个测试点一个窗口，始终是真实值，直到最后一个点"},
    "sine.windows.gap.multi": {"en": "after {n} steps the window holds only the model's own predictions",
                               "zh": "{n} 步之后，窗口里全是模型自己的预测值"},
    "sine.windows.prediction": {"en": "prediction", "zh": "预测值"},
    "sine.windows.truth": {"en": "truth", "zh": "真实值"},
    "sine.windows.truth_value": {"en": "y[{i}] = {v}", "zh": "y[{i}] = {v}"},
    "sine.windows.y": {"en": "y[{i}]", "zh": "y[{i}]"},
    "sine.windows.pred": {"en": "pred[{i}]", "zh": "pred[{i}]"},
    "sine.windows.legend.true": {"en": "a true value y[i]", "zh": "真实值 y[i]"},
    "sine.windows.legend.own": {"en": "the model's own prediction pred[i], read as input", "zh": "模型自己的预测值 pred[i]，被当作输入"},
}
