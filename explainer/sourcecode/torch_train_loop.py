"""The source's train and predict loops for the `torch.nn.RNN` version of MyRNN (`torch_rnn.py`).

No loop over the window any more: one call of `my_rnn` reads the whole sequence. The
tutorial writes `# ......` after the loss for "the rest as before"; here those lines are
written out as in `train_loop.py` (zero_grad, backward, step, return the loss), nothing
else is changed. The settings are the source's: hidden size 12, MSE, SGD lr 0.01.

    >>> import runpy, torch
    >>> ns = runpy.run_path(__file__)
    >>> ns["pred"](torch.zeros(10, 1)).shape                            # truth_seq [10, 1] -> [1]
    torch.Size([1])
"""

import torch
from torch import nn

from explainer.sourcecode.torch_rnn import MyRNN

hidden_size=12
my_rnn=MyRNN(input_size=1,hidden_size=hidden_size,output_size=1)
loss_func=nn.MSELoss()
optimizer=torch.optim.SGD(my_rnn.parameters(),lr=0.01)

def train(train_seq,target):
    state=torch.zeros(1,hidden_size)
    output,_=my_rnn(train_seq,state) #一次得到输出
    loss=loss_func(output,target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.detach().numpy().reshape(1)

def pred(truth_seq):
    with torch.no_grad():
        state=torch.zeros(1,hidden_size)
        output,_=my_rnn(truth_seq,state) #一次得到输出
        return output
