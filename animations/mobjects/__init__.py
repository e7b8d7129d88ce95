"""Reusable pictures with methods that return Animations, so scenes read like storyboards."""

from .vector import StateVector
from .equation import Equation
from .ticker import TokenTicker
from .rnn_cell import RNNCell
from .lstm_cell import LSTMCell
from .gate import GateUnit

__all__ = ["StateVector", "Equation", "TokenTicker", "RNNCell", "LSTMCell", "GateUnit"]
