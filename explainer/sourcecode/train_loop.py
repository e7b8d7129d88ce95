"""The source's settings, train and predict loops for the hand-written MyRNN ("训练", "预测").

As the tutorial writes them: hidden size 12, MSE loss, SGD with learning rate 0.01; `train`
feeds a window of 10 points to `my_rnn` one point at a time, carrying `state` from step to
step, and makes one SGD update on the last output's loss; `pred` does the same without
gradients. They work on this module's globals `my_rnn`, `loss_func` and `optimizer`, as
the tutorial's notebook does; the tests run this file with `runpy.run_path`, so each run
gets its own model.

    >>> import runpy, torch
    >>> ns = runpy.run_path(__file__)
    >>> ns["train"](torch.zeros(10, 1), torch.zeros(1)).shape          # train_seq [10, 1], target [1]
    (1,)
"""

import torch
from torch import nn

from explainer.sourcecode.my_rnn import MyRNN

hidden_size=12
my_rnn=MyRNN(input_size=1,hidden_size=hidden_size,output_size=1)
loss_func=nn.MSELoss()
optimizer=torch.optim.SGD(my_rnn.parameters(),lr=0.01)

def train(train_seq,target):
    #初始状态
    state=torch.zeros(1,hidden_size)

    for x in train_seq:
        output,state=my_rnn(x,state)

    loss=loss_func(output,target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    #返回损失
    return loss.detach().numpy().reshape(1)

def pred(truth_seq):
    with torch.no_grad():
        state=torch.zeros(1,hidden_size)
        for x in truth_seq:
            output,state=my_rnn(x,state)
        return output
