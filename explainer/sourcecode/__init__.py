"""The source tutorial's code, as real files: shown on screen and run by the tests.

The tutorial ("学习RNN和LSTM") teaches with code: a hand-written `MyRNN` (`linear_ih`,
`linear_hh`, `linear_ho`, tanh; one step per call), the same model with `torch.nn.RNN`
(one call per window), and the loops that train and predict with them. They are here
with the tutorial's names and spacing, so that the `SourceCode` scene shows the very
text the tests import and run:

* `my_rnn.py`: the hand-written MyRNN;
* `torch_rnn.py`: the nn.RNN version, its one typo fixed (`tate` -> `state`);
* `torch_rnn_typo.py`: the nn.RNN version verbatim, for display (its forward fails);
* `train_loop.py`, `torch_train_loop.py`: the source's settings (hidden 12, MSE, SGD lr
  0.01), `train` and `pred` for each version;
* `listing.py`: the files as text (blocks, lines, comments in the viewer's language, the
  typo's error), without torch.

Importing this package imports no torch; the model files do.
"""
