# The two commands of the README. Both set up whatever is missing first (scripts/setup.sh).
.PHONY: setup demo test

setup:
	@scripts/setup.sh

demo: setup
	.venv/bin/explainer demo

test: setup
	.venv/bin/python -m pytest -q
