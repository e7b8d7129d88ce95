"""The noisy sine is exactly the source's, and its evaluation does what the source says."""

from __future__ import annotations

import numpy as np
import pytest

from explainer import ExplainerError
from explainer.tasks.sine import evaluate, make_data, predict_multistep


def test_data_is_the_sources():
    data = make_data(seed=3)
    np.testing.assert_array_equal(data.x, np.linspace(0, 36, 400))
    assert data.y.dtype == np.float32 and data.y.shape == (400,)
    noise = data.y - np.sin(data.x).astype(np.float32)
    assert noise.min() >= -1e-6 and noise.max() < 0.2 + 1e-6, "U(0, 0.2) noise"
    assert 0.08 < noise.mean() < 0.12
    assert data.train_points == 320 and data.seq_len == 10


def test_noise_is_seeded():
    np.testing.assert_array_equal(make_data(1).y, make_data(1).y)
    assert not np.array_equal(make_data(1).y, make_data(2).y)


def test_training_windows_pair_ten_points_with_the_next():
    data = make_data(0)
    inputs, targets = data.train_windows()
    assert inputs.shape == (310, 10, 1) and targets.shape == (310,)
    np.testing.assert_array_equal(inputs[0, :, 0], data.y[0:10])
    assert targets[0] == data.y[10]
    np.testing.assert_array_equal(inputs[-1, :, 0], data.y[309:319])
    assert targets[-1] == data.y[319], "the last target is the last training point"


def test_test_windows_predict_points_320_to_399_from_true_values():
    data = make_data(0)
    inputs, targets = data.test_windows()
    assert inputs.shape == (80, 10, 1)
    np.testing.assert_array_equal(inputs[0, :, 0], data.y[310:320])
    np.testing.assert_array_equal(targets, data.y[320:400])


def test_noise_floor_is_about_a_uniform_variance():
    floors = [make_data(s).noise_floor() for s in range(5)]
    assert all(0.0025 < f < 0.0045 for f in floors)
    assert abs(np.mean(floors) - 0.2 ** 2 / 12) < 0.0005


def test_multistep_feeds_each_prediction_back():
    data = make_data(0)
    # a "model" that predicts the last input plus one: errors accumulate step by step
    preds = predict_multistep(lambda w: w[:, -1, 0] + 1, data)
    np.testing.assert_allclose(preds, data.y[319] + np.arange(1, 81), rtol=1e-5)


def test_the_best_single_step_predictor_scores_the_noise_floor():
    data = make_data(0)
    best = (np.sin(data.x[320:]) + 0.1).astype(np.float32)  # what each of the 80 test windows should predict
    ev = evaluate(lambda w: best if len(w) == 80 else w[:, -1, 0], data)
    assert ev.mse_single == pytest.approx(data.noise_floor(), rel=1e-5)
    assert set(ev.metrics()) == {"mse_single", "mse_multi", "noise_floor"}


def test_extra_feature_columns_for_input_size_above_one():
    data = make_data(0, features=("cos", "diff"))
    inputs, _ = data.train_windows()
    assert data.input_size == 3 and inputs.shape == (310, 10, 3)
    np.testing.assert_allclose(inputs[0, :, 1], np.cos(data.x[0:10]), rtol=1e-6)
    np.testing.assert_allclose(inputs[0, 1:, 2], np.diff(data.y[0:10]), rtol=1e-5, atol=1e-6)
    assert len(predict_multistep(lambda w: w[:, -1, 0], data)) == 80


def test_bad_task_arguments():
    with pytest.raises(ExplainerError, match="unknown feature 'wind'; valid: cos, diff, lag3"):
        make_data(0, features=("wind",))
    with pytest.raises(ExplainerError, match="sequence length must be a positive integer, got 0"):
        make_data(0, seq_len=0)
    with pytest.raises(ExplainerError, match="sequence length 201 is longer than the 320 training points allow"):
        make_data(0, seq_len=201)
