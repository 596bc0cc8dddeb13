// libtorch's live-handle counter is process-wide: run this assembly's tests one at a time so
// leak assertions see only their own tensors.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
