"""Words of the SourceCode scene (`scene.code.*`) and of the comments in the source's code (`code.comment.*`).

Code itself (names, `tanh`, `linear_ih`) is the same in both languages. The tutorial's
comments are Chinese; `explainer.sourcecode.listing.shown` writes them in the viewer's
language from the `code.comment.*` words (the zh words are the tutorial's own comments).
"""

WORDS = {
    # ------------------------------------------------------------------ comments in the code
    "code.comment.initial_state": {"en": "initial state", "zh": "初始状态"},
    "code.comment.return_loss": {"en": "return the loss", "zh": "返回损失"},
    "code.comment.last_step": {"en": "the output of the last time step", "zh": "取最后一个时间点的输出"},
    "code.comment.one_call": {"en": "the output in one call", "zh": "一次得到输出"},
    # ------------------------------------------------------------------ the two versions
    "scene.code.title": {"en": "The source's code: MyRNN, written two ways", "zh": "原文的代码：MyRNN 的两种写法"},
    "scene.code.by_hand": {"en": "By hand", "zh": "手动实现"},
    "scene.code.by_hand_how": {"en": "one step per call", "zh": "每次调用算一步"},
    "scene.code.with_torch": {"en": "With torch.nn.RNN", "zh": "使用 torch.nn.RNN"},
    "scene.code.with_torch_how": {"en": "the whole window in one call", "zh": "一次调用读完整个窗口"},
    "scene.code.hand_forward": {"en": "By hand, forward reads one input x and the previous state, and returns the new one.",
                                "zh": "手动实现时，forward 读入一个输入 x 和上一时刻的状态，返回新的状态。"},
    "scene.code.hand_layers": {"en": "New state = tanh(linear_ih(x) + linear_hh(prev_state)); linear_ho gives the output.",
                               "zh": "新状态 = tanh(linear_ih(x) + linear_hh(prev_state))；linear_ho 给出输出。"},
    "scene.code.torch_layers": {"en": "nn.RNN takes the place of linear_ih, linear_hh and tanh; linear_ho is still ours.",
                                "zh": "nn.RNN 取代了 linear_ih、linear_hh 和 tanh；输出层 linear_ho 仍要自己定义。"},
    "scene.code.torch_forward": {"en": "Its forward reads the whole window and returns every step's hidden state.",
                                 "zh": "它的 forward 一次读入整个窗口，返回每一步的隐藏状态。"},
    # ------------------------------------------------------------------ the typo
    "scene.code.typo": {"en": "A typo in the source: the final state is stored as “tate” …",
                        "zh": "原文这里有个笔误：最终状态被存成了 “tate”……"},
    "scene.code.typo_return": {"en": "… so “return output,state” asks for a name that was never set.",
                               "zh": "……于是 “return output,state” 用到了一个从未赋值的名字。"},
    "scene.code.raises": {"en": "Running forward stops at line {line} with this error.",
                          "zh": "运行 forward 时，第 {line} 行报出这个错误。"},
    "scene.code.fix": {"en": "The fix is one name: tate → state. Now forward returns the final state.",
                       "zh": "只需改一个名字：tate → state。现在 forward 能返回最终状态。"},
    "scene.code.runs": {"en": "✓ runs", "zh": "✓ 可以运行"},
    "scene.code.same": {"en": "With the same weights, the two versions compute the same hidden states.",
                        "zh": "权重相同时，两种写法算出的隐藏状态完全相同。"},
    # ------------------------------------------------------------------ the hand-written version at work
    "scene.code.run_title": {"en": "The hand-written MyRNN at work", "zh": "手写的 MyRNN 在运行"},
    "scene.code.run": {"en": "pred feeds the first test window, y[{a}] … y[{b}], to MyRNN, one point per call.",
                       "zh": "pred 把第一个测试窗口 y[{a}] … y[{b}] 逐点送入 MyRNN，每次调用读一个点。"},
    "scene.code.weights": {"en": "The weights are those of the source's training: one pass over its {n} windows.",
                           "zh": "权重来自原文的训练：在 {n} 个训练窗口上各更新一次。"},
    "scene.code.step0": {"en": "Step 0: x = y[{p}] = {x}; the state starts as zeros.",
                         "zh": "第 0 步：x = y[{p}] = {x}；状态从全 0 开始。"},
    "scene.code.step_h": {"en": "tanh(linear_ih(x) + linear_hh(prev_state)): the new state, {units} numbers.",
                          "zh": "tanh(linear_ih(x) + linear_hh(prev_state))：新的状态，{units} 个数。"},
    "scene.code.step1": {"en": "Step 1: x = y[{p}] = {x}; prev_state is the state just returned.",
                         "zh": "第 1 步：x = y[{p}] = {x}；prev_state 就是上一步返回的状态。"},
    "scene.code.step2": {"en": "Step 2: the same weights, a new x and the new state.",
                         "zh": "第 2 步：同样的权重，新的 x，新的状态。"},
    "scene.code.rest": {"en": "… one call per point, up to y[{p}].", "zh": "……每个点调用一次，直到 y[{p}]。"},
    "scene.code.output": {"en": "After the last point, output = linear_ho(state) = {y}: the prediction pred[{p}].",
                          "zh": "读完最后一个点，output = linear_ho(state) = {y}，即预测值 pred[{p}]。"},
    "scene.code.truth": {"en": "The true y[{p}] is {y}: the prediction is off by {err}.",
                         "zh": "真实的 y[{p}] 是 {y}：预测差了 {err}。"},
    "scene.code.every_output": {"en": "Every call also computes an output; pred keeps only the last one.",
                                "zh": "每次调用都会算出一个 output；pred 只保留最后一个。"},
    "scene.code.end": {"en": "One set of weights, called once per point: the state carries the window along.",
                       "zh": "同一组权重，每个点调用一次：状态把窗口里的信息一路带下去。"},
    # ------------------------------------------------------------------ labels
    "scene.code.zeros": {"en": "zeros", "zh": "全 0"},
    "scene.code.state": {"en": "state", "zh": "state"},
    "scene.code.x": {"en": "x", "zh": "x"},
    "scene.code.point": {"en": "y[{p}]", "zh": "y[{p}]"},
    "scene.code.output_label": {"en": "output = {y}", "zh": "output = {y}"},
    "scene.code.pred": {"en": "pred[{p}]", "zh": "pred[{p}]"},
    "scene.code.true": {"en": "true y[{p}] = {y}", "zh": "真实值 y[{p}] = {y}"},
}
