"""LeNet-5 accuracy reference: PyTorch with nnb train's default recipe on the same built-in digits.

Trains the LeNet-5 template's network (conv 6@5×5 pad 2, pool, conv 16@5×5, pool, 120, 84, 10,
ReLU) with Adam lr 1e-3, batch 64, 5 epochs, on assets/digits (8,004 training / 1,996
validation, normalized with MNIST's mean/std), for several seeds, and prints the best validation
accuracy of each run and their mean: what the ">= 97 % within 5 epochs" target means for this
recipe and data, independent of NN Builder. Run: /usr/bin/python3 bench/torch_lenet_accuracy.py
"""
import gzip
import os
import struct

import torch
import torch.nn as nn

DIGITS = os.path.join(os.path.dirname(__file__), '..', 'assets', 'digits')
MEAN, STD = 0.1307, 0.3081
SEEDS = [42, 1, 2, 3, 4, 5, 6, 7]


def read_idx(name):
    with gzip.open(os.path.join(DIGITS, name), 'rb') as f:
        data = f.read()
    dims = struct.unpack('>' + 'I' * (data[3]), data[4:4 + 4 * data[3]])
    return torch.frombuffer(bytearray(data[4 + 4 * len(dims):]), dtype=torch.uint8).reshape(dims)


def images(name):
    return ((read_idx(name).float() / 255 - MEAN) / STD).unsqueeze(1)


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def best_accuracy(seed, x, y, xv, yv):
    torch.manual_seed(seed)
    net = lenet()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    best = 0.0
    for _ in range(5):
        net.train()
        order = torch.randperm(len(x))
        for i in range(0, len(x), 64):
            batch = order[i:i + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[batch]), y[batch]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            best = max(best, (net(xv).argmax(1) == yv).float().mean().item())
    return best


def main():
    x, y = images('train-images-idx3-ubyte.gz'), read_idx('train-labels-idx1-ubyte.gz').long()
    xv, yv = images('t10k-images-idx3-ubyte.gz'), read_idx('t10k-labels-idx1-ubyte.gz').long()
    runs = [best_accuracy(s, x, y, xv, yv) for s in SEEDS]
    print('PyTorch', torch.__version__, f'LeNet-5, {len(x)} training / {len(xv)} validation digits')
    print('best validation accuracy per seed:', ' '.join(f'{r * 100:.2f}%' for r in runs))
    print(f'mean {sum(runs) / len(runs) * 100:.2f}%, {sum(r >= 0.97 for r in runs)} of {len(runs)} runs >= 97%')


if __name__ == '__main__':
    main()
