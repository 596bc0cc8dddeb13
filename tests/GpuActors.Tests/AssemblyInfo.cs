// libtorch's live-handle counter is process-wide and its ops already use every core:
// run this assembly's tests one at a time so leak assertions see only their own tensors.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: HyperSwarm.Torch.Tests.Support.NoFinalizedTensors]
