"""The source's `torch.nn.RNN` version of MyRNN, its one typo fixed: `tate` -> `state`.

forward reads the whole window in one call: seq [time, input] (unbatched, so batch_first
has no effect) and init_state [1, hidden]; the prediction is linear_ho of the last step's
hidden state. The only change from the tutorial's text (`torch_rnn_typo.py`, on the same
lines) is that name, on the line marked `# tate -> state`; the loops are in torch_train_loop.py.

    >>> import torch
    >>> output, state = MyRNN(1, 12, 1)(torch.zeros(10, 1), torch.zeros(1, 12))
    >>> output.shape, state.shape                                   # [1], [1, hidden]
    (torch.Size([1]), torch.Size([1, 12]))
"""

from torch import nn


class MyRNN(nn.Module):
    def __init__(self,input_size,hidden_size,output_size):
        super().__init__()
        self.rnn=nn.RNN(input_size=input_size,hidden_size=hidden_size,batch_first=True)
        self.linear_ho=nn.Linear(hidden_size,output_size)
    def forward(self,seq,init_state):
        output_hidden,state=self.rnn(seq,init_state) # tate -> state
        output=self.linear_ho(output_hidden[-1,:]) #取最后一个时间点的输出
        return output,state
