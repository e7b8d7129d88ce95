"""Words of the mechanism pictures: the gradient-flow figure and scene, the learning figure."""

WORDS = {
    # figure gradient-flow
    "mechanism.flow.title.same": {
        "en": "How far back a pronoun's gradient reaches\nat d = {d} the {model} keeps the least of it, before and after training",
        "zh": "代词处的梯度能传回多远\n在 d = {d} 处，{model} 剩下的梯度最少，训练前后都是如此"},
    "mechanism.flow.title.differ": {
        "en": "How far back a pronoun's gradient reaches\nat d = {d} the {a} keeps the least of it at initialisation, "
              "the {b} after training",
        "zh": "代词处的梯度能传回多远\n在 d = {d} 处，初始化时 {a} 剩下的梯度最少，训练后是 {b}"},
    "mechanism.flow.panel.initial": {"en": "at initialisation (update 0)", "zh": "初始化时（第 0 次参数更新）"},
    "mechanism.flow.panel.trained": {"en": "after training ({iters} updates)", "zh": "训练后（{iters} 次参数更新）"},
    "mechanism.flow.panel.trained_each": {"en": "after training", "zh": "训练后"},
    "mechanism.flow.line.h": {"en": "{model}  $\\Vert\\partial\\ell/\\partial h\\Vert$   {r}",
                              "zh": "{model}  $\\Vert\\partial\\ell/\\partial h\\Vert$   {r}"},
    "mechanism.flow.line.c": {"en": "{model}  $\\Vert\\partial\\ell/\\partial C\\Vert$   {r}  (C: cell state)",
                              "zh": "{model}  $\\Vert\\partial\\ell/\\partial C\\Vert$   {r}（C：单元状态）"},
    "mechanism.flow.kept": {"en": "left at d = {d}, ÷ d = 0:", "zh": "d = {d} 处剩下的比例（÷ d = 0）："},
    "mechanism.flow.axis.x": {"en": "d: steps back from the pronoun", "zh": "d：从代词往回的步数"},
    "mechanism.flow.axis.y": {"en": "$\\Vert\\partial\\ell\\,/\\,\\partial h_{t-d}\\Vert$  (log scale)",
                              "zh": "$\\Vert\\partial\\ell\\,/\\,\\partial h_{t-d}\\Vert$（对数刻度）"},
    "mechanism.flow.note": {
        "en": "ℓ: cross-entropy of the pronoun's answer at step t; mean over {n} pronoun answers at t ≥ {D} "
              "in {p} evaluation passages; top layer",
        "zh": "ℓ：第 t 步代词答案的交叉熵；对 {p} 段评估文本中 t ≥ {D} 的 {n} 个代词答案取平均；最上层"},
    # figure learning
    "mechanism.learning.title": {"en": "Which distances each model learns first: pronoun accuracy over training",
                                 "zh": "每个模型先学会哪些距离：训练过程中的代词准确率"},
    "mechanism.learning.subtitle": {
        "en": "measured every {every} updates on {p} fixed passages · colour from chance (0.5) to 1 · "
              "orange bar: ≥ {level} from there to the end",
        "zh": "每 {every} 次参数更新在固定的 {p} 段文本上测一次 · 颜色从随机猜测（0.5）到 1 · "
              "橙色横线：从此处到训练结束都 ≥ {level}"},
    "mechanism.learning.axis.x": {"en": "dependency distance", "zh": "依赖距离"},
    "mechanism.learning.axis.y": {"en": "update", "zh": "参数更新次数"},
    "mechanism.learning.colorbar": {"en": "accuracy (0.5 = chance)", "zh": "准确率（0.5 = 随机猜测）"},
    "mechanism.learning.every": {
        "en": "{model}: ≥ {level} at every distance from update {n} on; {first} first (from update {a})",
        "zh": "{model}：从第 {n} 次参数更新起，每个距离都 ≥ {level}；最先学会 {first}（从第 {a} 次起）"},
    "mechanism.learning.every_at_once": {
        "en": "{model}: ≥ {level} at every distance from update {n} on, all at once",
        "zh": "{model}：从第 {n} 次参数更新起，每个距离同时达到 ≥ {level}"},
    "mechanism.learning.some": {
        "en": "{model}: ≥ {level} only at {where} (from update {a}); at the end {lo}–{hi} elsewhere",
        "zh": "{model}：只有 {where} 达到 ≥ {level}（从第 {a} 次参数更新起）；训练结束时其余距离为 {lo}–{hi}"},
    "mechanism.learning.none": {
        "en": "{model}: ≥ {level} at no distance by the end; at the end {lo}–{hi}",
        "zh": "{model}：训练结束时没有一个距离达到 ≥ {level}；结束时为 {lo}–{hi}"},
    # scene GradientFlow
    "mechanism.scene.title": {"en": "The gradient travels back from the pronoun", "zh": "梯度从代词处往回传"},
    "mechanism.scene.subtitle": {
        "en": "{a} and {b} after training · measured: mean over {n} pronoun answers of the evaluation passages",
        "zh": "训练后的 {a} 与 {b} · 实测：评估文本中 {n} 个代词答案的平均值"},
    "mechanism.scene.loss": {"en": "loss ℓ at the pronoun", "zh": "代词处的损失 ℓ"},
    "mechanism.scene.scale": {"en": "band width and opacity: the norm, on a log scale",
                              "zh": "色带的宽度与不透明度：梯度范数（对数刻度）"},
    "mechanism.scene.box": {"en": "one box = one step of the same cell A", "zh": "每个方框 = 同一个单元 A 的一步"},
    "mechanism.scene.pronoun": {"en": "pronoun", "zh": "代词"},
    "mechanism.scene.steps_back": {"en": "d = {d}", "zh": "d = {d}"},
    "mechanism.scene.through_h": {"en": "through h", "zh": "经由 h"},
    "mechanism.scene.through_c": {"en": "along the cell state C", "zh": "沿单元状态 C"},
    "mechanism.scene.intro": {
        "en": "Training asks: how should the weights change so that the pronoun comes out right? The answer is a gradient.",
        "zh": "训练要问：权重该怎么改，代词才能预测对？答案就是梯度。"},
    "mechanism.scene.start": {
        "en": "At the pronoun (d = 0) the gradient is {rnn} for the {a} (mean loss {la}), {lstm} for the {b} "
              "(mean loss {lb}): a smaller loss sends a smaller gradient.",
        "zh": "在代词处（d = 0），{a} 的梯度范数是 {rnn}（平均损失 {la}），{b} 的是 {lstm}（平均损失 {lb}）：损失越小，梯度越小。"},
    "mechanism.scene.start_plain": {
        "en": "At the pronoun (d = 0) the gradient is {rnn} for the {a} (mean loss {la}), {lstm} for the {b} "
              "(mean loss {lb}).",
        "zh": "在代词处（d = 0），{a} 的梯度范数是 {rnn}（平均损失 {la}），{b} 的是 {lstm}（平均损失 {lb}）。"},
    "mechanism.scene.travel": {
        "en": "Each step back multiplies it by that step's derivative: the band narrows and fades as it shrinks.",
        "zh": "每往回一步，梯度都要乘上这一步的导数：梯度变小，色带就变窄、变淡。"},
    "mechanism.scene.at": {
        "en": "d = {d}: left of the gradient at d = 0: {a} {rnn}, {b} {lstm} (on C: {cell})",
        "zh": "d = {d}：剩下 d = 0 时梯度的比例：{a} {rnn}，{b} {lstm}（C 上：{cell}）"},
    "mechanism.scene.at_h": {
        "en": "d = {d}: left of the gradient at d = 0: {a} {rnn}, {b} {lstm}",
        "zh": "d = {d}：剩下 d = 0 时梯度的比例：{a} {rnn}，{b} {lstm}"},
    "mechanism.scene.end": {
        "en": "At d = {d} the {more} keeps {x} times as large a share of its gradient as the {less}: "
              "that is what a clue {d} steps back learns from.",
        "zh": "在 d = {d} 处，{more} 剩下的梯度比例是 {less} 的 {x} 倍：{d} 步之前的线索就靠这点梯度来学习。"},
}
