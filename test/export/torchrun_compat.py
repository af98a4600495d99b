#!/usr/bin/python3
"""torchrun, with one fix for Debian 12's python3-torch 1.13 on Python 3.11.

There `Std.from_str` returns None for every value (`Std(0) in Std` is False for the empty flag on
Python 3.11), so plain `torchrun` dies with "'NoneType' object has no attribute 'get'" before it
starts a worker. This replaces that one parser and then runs the real torch.distributed.run.
"""
import re
import sys

from torch.distributed.elastic.multiprocessing import api


def from_str(value):
    if re.fullmatch(r'\d', value):
        return api.Std(int(value))
    return {int(rank): api.Std(int(std)) for rank, std in (item.split(':') for item in value.split(','))}


api.Std.from_str = staticmethod(from_str)

from torch.distributed.run import main  # noqa: E402  (after the patch, on purpose)

sys.exit(main())
