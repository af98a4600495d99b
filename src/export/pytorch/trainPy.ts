/**
 * train.py of the PyTorch export: trains the exported model on the dataset formats the app reads
 * (MNIST-style IDX files, CIFAR-10 binary batches, a folder with one subfolder per class), on one
 * process or many with `torchrun --nproc_per_node=N train.py` (DDP; nccl on GPUs, gloo on CPU),
 * with checkpoints and resume. Static: the model comes from the model.py beside it.
 */
export const TRAIN_PY = String.raw`"""Train the exported NN Builder model with PyTorch.

  python3 train.py --data DATA [--epochs 5] [--batch-size 64] [--lr 0.001] [--optimizer adam]
  torchrun --nproc_per_node=4 train.py --data DATA ...      # many GPUs (nccl) or CPU processes (gloo)

DATA is a folder of MNIST-style IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
optional t10k-*), of CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin), or of images with
one subfolder per class. Metrics are printed as JSON lines; checkpoints go to --out.
"""
import argparse
import gzip
import json
import os
import random
import struct
import sys
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split
from torch.utils.data.distributed import DistributedSampler

from model import INPUT_SHAPES, load_model


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, dtype, ndim = data[0:2], data[2], data[3]
    if zero != b'\x00\x00' or dtype != 0x08:
        sys.exit(f'{path}: not an IDX file of unsigned bytes')
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def find(folder, *names):
    for name in names:
        for candidate in (name, name + '.gz'):
            path = os.path.join(folder, candidate)
            if os.path.exists(path):
                return path
    return None


def load_idx(folder, prefix):
    images = find(folder, f'{prefix}-images-idx3-ubyte', f'{prefix}-images.idx3-ubyte')
    labels = find(folder, f'{prefix}-labels-idx1-ubyte', f'{prefix}-labels.idx1-ubyte')
    if images is None or labels is None:
        return None
    x, y = read_idx(images), read_idx(labels)
    if len(x) != len(y):
        sys.exit(f'{folder}: {len(x)} images but {len(y)} labels')
    return x.unsqueeze(1), y.long()


def load_cifar(folder):
    def read(paths):
        raw = b''.join(open(p, 'rb').read() for p in paths)
        rows = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(-1, 3073)
        return rows[:, 1:].reshape(-1, 3, 32, 32), rows[:, 0].long()
    train = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.startswith('data_batch'))
    test = os.path.join(folder, 'test_batch.bin')
    return read(train), (read([test]) if os.path.exists(test) else None)


def load_image_folder(folder, shape):
    from PIL import Image
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    xs, ys, skipped = [], [], 0
    mode = 'L' if shape[0] == 1 else 'RGB'
    for label, name in enumerate(classes):
        for file in sorted(os.listdir(os.path.join(folder, name))):
            try:
                image = Image.open(os.path.join(folder, name, file)).convert(mode).resize((shape[2], shape[1]))
            except Exception:
                skipped += 1
                continue
            xs.append(torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).reshape(shape[1], shape[2], -1))
            ys.append(label)
    if skipped:
        print(json.dumps({'warning': f'skipped {skipped} unreadable files'}), file=sys.stderr)
    if not xs:
        sys.exit(f'{folder}: no readable images in class subfolders')
    return (torch.stack(xs).permute(0, 3, 1, 2), torch.tensor(ys)), None


def load_data(folder, shape):
    if not os.path.isdir(folder):
        sys.exit(f'--data {folder}: not a folder')
    idx = load_idx(folder, 'train')
    if idx is not None:
        return idx, load_idx(folder, 't10k')
    if any(f.startswith('data_batch') for f in os.listdir(folder)):
        return load_cifar(folder)
    return load_image_folder(folder, shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data', required=True)
    parser.add_argument('--epochs', type=int, default=5)
    parser.add_argument('--batch-size', type=int, default=64, help='per process')
    parser.add_argument('--lr', type=float, default=1e-3)
    parser.add_argument('--optimizer', choices=['sgd', 'adam', 'adamw'], default='adam')
    parser.add_argument('--momentum', type=float, default=0.9)
    parser.add_argument('--weight-decay', type=float, default=0.0)
    parser.add_argument('--mean', type=float, default=0.0, help='subtracted from pixels scaled to [0, 1]')
    parser.add_argument('--std', type=float, default=1.0)
    parser.add_argument('--val-fraction', type=float, default=0.1, help='when the data has no test split')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default='checkpoints')
    parser.add_argument('--resume', action='store_true', help='continue from --out/checkpoint.pt')
    args = parser.parse_args()

    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group('nccl' if cuda else 'gloo')
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    device = torch.device('cuda', local_rank) if cuda else torch.device('cpu')
    if cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(args.seed)
    random.seed(args.seed)

    shape = list(INPUT_SHAPES.values())[0]
    (x, y), test = load_data(args.data, shape)
    if tuple(x.shape[1:]) != tuple(shape):
        sys.exit(f'--data {args.data}: samples are {tuple(x.shape[1:])} but the model expects {tuple(shape)}')
    to_float = lambda t: (t.float() / 255 - args.mean) / args.std
    train_set = TensorDataset(to_float(x), y)
    if test is not None:
        val_set = TensorDataset(to_float(test[0]), test[1])
    else:
        n_val = max(1, int(len(train_set) * args.val_fraction))
        train_set, val_set = random_split(train_set, [len(train_set) - n_val, n_val],
                                          generator=torch.Generator().manual_seed(args.seed))
    sampler = DistributedSampler(train_set, seed=args.seed) if distributed else None
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler)
    val_loader = DataLoader(val_set, batch_size=256)

    model = load_model().to(device)
    if distributed:
        model = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if cuda else None)
    if args.optimizer == 'sgd':
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    elif args.optimizer == 'adamw':
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    checkpoint = os.path.join(args.out, 'checkpoint.pt')
    start = 0
    if args.resume and os.path.exists(checkpoint):
        state = torch.load(checkpoint, map_location=device)
        (model.module if distributed else model).load_state_dict(state['model'])
        optimizer.load_state_dict(state['optimizer'])
        start = state['epoch']

    for epoch in range(start, args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        model.train()
        began, total, count = time.time(), torch.zeros(2, device=device), 0
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), labels)
            loss.backward()
            optimizer.step()
            total += torch.stack([loss.detach() * len(labels), torch.tensor(float(len(labels)), device=device)])
        if distributed:
            dist.all_reduce(total)
        if rank == 0:
            # Evaluate the plain module: a DDP forward would wait for the other ranks.
            net = model.module if distributed else model
            net.eval()
            correct, seen, val_loss = 0, 0, 0.0
            with torch.no_grad():
                for inputs, labels in val_loader:
                    out = net(inputs.to(device))
                    val_loss += loss_fn(out, labels.to(device)).item() * len(labels)
                    correct += (out.argmax(1).cpu() == labels).sum().item()
                    seen += len(labels)
            print(json.dumps({'epoch': epoch + 1, 'train_loss': (total[0] / total[1]).item(),
                              'val_loss': val_loss / seen, 'val_accuracy': correct / seen,
                              'seconds': round(time.time() - began, 3), 'world_size': world}), flush=True)
            os.makedirs(args.out, exist_ok=True)
            torch.save({'model': (model.module if distributed else model).state_dict(),
                        'optimizer': optimizer.state_dict(), 'epoch': epoch + 1}, checkpoint)
    if distributed:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
