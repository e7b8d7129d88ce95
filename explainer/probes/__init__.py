"""Measurements that run a model (torch).

Each module is one measurement, imported by name (`from explainer.probes.horizon import
error_by_horizon`); nothing is imported here, so `import explainer` stays torch-free.
"""
