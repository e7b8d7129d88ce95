"""The source's `torch.nn.RNN` version of MyRNN, verbatim, typo included: kept only for display.

The tutorial writes `output_hidden,tate=self.rnn(seq,init_state)`: the final state is
stored as `tate`, so `return output,state` names a variable that was never set, and the
call fails (as `listing.TYPO_ERROR` says; the tests run it). `torch_rnn.py` is this text
with that one name fixed, its class on the same lines. The `SourceCode` scene shows both.

    >>> import torch
    >>> MyRNN(1, 12, 1)(torch.zeros(10, 1), torch.zeros(1, 12))   # seq [time, 1], init_state [1, 12]
    Traceback (most recent call last):
    NameError: name 'state' is not defined
"""

from torch import nn


class MyRNN(nn.Module):
    def __init__(self,input_size,hidden_size,output_size):
        super().__init__()
        self.rnn=nn.RNN(input_size=input_size,hidden_size=hidden_size,batch_first=True)
        self.linear_ho=nn.Linear(hidden_size,output_size)
    def forward(self,seq,init_state):
        output_hidden,tate=self.rnn(seq,init_state)
        output=self.linear_ho(output_hidden[-1,:]) #取最后一个时间点的输出
        return output,state
