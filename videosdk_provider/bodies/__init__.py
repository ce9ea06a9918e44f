"""
Request bodies and arguments, checked before any call: one package for every operator and the hook.

``checking`` holds the generic field-path checker; ``pieces`` the parts several bodies share
(webhook events, layout, transcription, output config); one module per resource holds its
contract. A request that would be rejected never leaves the worker and never creates half of
anything.
"""
