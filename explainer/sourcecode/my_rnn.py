"""The source's hand-written RNN ("定义RNN网络"), exactly as the tutorial writes it.

One step per call: `forward(x, prev_state)` reads one input x_t and h_{t-1} and returns
the prediction and h_t = tanh(linear_ih(x_t) + linear_hh(h_{t-1})). The loops that feed it a
window one point at a time are in `train_loop.py`. The `SourceCode` scene shows this
file's class on screen (from `class MyRNN` on); the tests run it.

    >>> import torch
    >>> net = MyRNN(input_size=1, hidden_size=12, output_size=1)
    >>> output, state = net(torch.tensor([0.5]), torch.zeros(1, 12))   # x [1], prev_state [1, 12]
    >>> output.shape, state.shape                                        # [1], [1, 12]
    (torch.Size([1]), torch.Size([1, 12]))
"""

from torch import nn


class MyRNN(nn.Module):
    def __init__(self,input_size,hidden_size,output_size):
        super().__init__()
        self.linear_ih=nn.Linear(input_size,hidden_size)
        self.linear_hh=nn.Linear(hidden_size,hidden_size)
        self.linear_ho=nn.Linear(hidden_size,output_size)
        self.tanh=nn.Tanh()
    def forward(self,x,prev_state):
        curr_state=self.tanh(
            self.linear_ih(x)+self.linear_hh(prev_state)
        )
        output=self.linear_ho(curr_state).reshape(1)
        return output,curr_state
