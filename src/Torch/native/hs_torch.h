/* hs_torch.h: the C ABI between HyperSwarm.Torch (C#) and libtorch.
 *
 * Rules (TORCH-BINDING.md §2.3):
 *  - Every function returns an int32_t status: HS_OK (0) or HS_ERROR (1), or
 *    HS_UNSUPPORTED (2) for a feature not compiled in (CUDA without HS_WITH_CUDA).
 *  - Results go through out-pointers. Every hs_tensor* written to an out-pointer is a
 *    new reference owned by the caller and released with hs_tensor_free.
 *  - On HS_ERROR the message is kept in a thread-local slot; hs_last_error copies it
 *    into a caller buffer. Read it on the same OS thread, right after the call.
 *  - Optional tensor arguments are NULL when absent. Optional ints use has_* flags.
 *  - No C++ exception ever crosses this boundary.
 *  - Enum values below are mirrored by C# (DType, DeviceType, UnaryOp, ...): append only.
 */
#ifndef HS_TORCH_H
#define HS_TORCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HS_API __attribute__((visibility("default")))

typedef struct hs_tensor hs_tensor; /* opaque: a heap-allocated at::Tensor */

enum { HS_OK = 0, HS_ERROR = 1, HS_UNSUPPORTED = 2 };

enum hs_dtype {
  HS_FLOAT32 = 0, HS_FLOAT64 = 1, HS_INT64 = 2, HS_UINT8 = 3, HS_BOOL = 4,
  HS_INT32 = 5, HS_FLOAT16 = 6, HS_BFLOAT16 = 7
};

enum hs_device_type { HS_CPU = 0, HS_CUDA = 1 };

enum hs_reduction { HS_REDUCE_NONE = 0, HS_REDUCE_MEAN = 1, HS_REDUCE_SUM = 2 };

enum hs_unary_op {
  HS_NEG = 0, HS_SQRT = 1, HS_RSQRT = 2, HS_EXP = 3, HS_LOG = 4, HS_ABS = 5,
  HS_SIGMOID = 6, HS_TANH = 7, HS_RELU = 8, HS_GELU = 9, HS_SIGN = 10, HS_FLOOR = 11,
  HS_SQUARE = 12, HS_RECIPROCAL = 13, HS_LOG1P = 14, HS_EXPM1 = 15, HS_LOGICAL_NOT = 16,
  HS_ISFINITE = 17
};

enum hs_binary_op {
  HS_ADD = 0, HS_SUB = 1, HS_MUL = 2, HS_DIV = 3, HS_MAXIMUM = 4, HS_MINIMUM = 5,
  HS_POW = 6, HS_EQ = 7, HS_NE = 8, HS_GT = 9, HS_LT = 10, HS_GE = 11, HS_LE = 12,
  HS_RSUB = 13 /* other - self; scalar form only is meaningful */
};

/* ---- runtime --------------------------------------------------------------------- */
/* Copies the last error of this thread (NUL-terminated, truncated to cap-1) and writes
 * the full length to *len. Does not clear it. */
HS_API int32_t hs_last_error(char* buf, int64_t cap, int64_t* len);
HS_API int32_t hs_version(char* buf, int64_t cap, int64_t* len); /* "libtorch 1.13.1" */
HS_API int32_t hs_set_num_threads(int32_t n);
HS_API int32_t hs_get_num_threads(int32_t* out);
HS_API int32_t hs_manual_seed(int64_t seed); /* CPU and, when compiled in, all CUDA devices */
HS_API int32_t hs_rng_state_get(hs_tensor** out);       /* CPU generator state, uint8 */
HS_API int32_t hs_rng_state_set(const hs_tensor* state);
HS_API int32_t hs_with_cuda(int32_t* out); /* 1 when compiled with HS_WITH_CUDA */
HS_API int32_t hs_cuda_is_available(int32_t* out);
HS_API int32_t hs_cuda_device_count(int32_t* out);
HS_API int32_t hs_cuda_synchronize(int32_t device_index);  /* HS_UNSUPPORTED without CUDA */
HS_API int32_t hs_cuda_empty_cache(void);                  /* HS_UNSUPPORTED without CUDA */
HS_API int32_t hs_cuda_memory_allocated(int32_t device_index, int64_t* out); /* idem */
HS_API int32_t hs_live_tensors(int64_t* out); /* handles created minus handles freed */
/* Makes glibc keep freed host memory instead of unmapping/trimming it: no mmap for large
 * blocks, heap trimmed only above trim_threshold bytes, secondary-arena heaps kept. Training frees and re-allocates the
 * same large activations every step; by default they are unmapped and faulted back in,
 * which makes a CPU step up to 3x slower. *applied is 0 where the C library is not glibc. */
HS_API int32_t hs_keep_freed_host_memory(int64_t trim_threshold, int32_t* applied);

/* ---- lifecycle and meta ------------------------------------------------------------ */
HS_API int32_t hs_tensor_free(hs_tensor* t); /* NULL is a no-op */
HS_API int32_t hs_tensor_alias(const hs_tensor* t, hs_tensor** out);
HS_API int32_t hs_tensor_clone(const hs_tensor* t, hs_tensor** out);
HS_API int32_t hs_tensor_detach(const hs_tensor* t, hs_tensor** out);
HS_API int32_t hs_tensor_contiguous(const hs_tensor* t, hs_tensor** out);
/* dtype < 0 keeps the dtype; device_type < 0 keeps the device. */
HS_API int32_t hs_tensor_to(const hs_tensor* t, int32_t device_type, int32_t device_index,
                            int32_t dtype, int32_t non_blocking, hs_tensor** out);
/* Replaces t's data (storage, shape, dtype, device) with src's, keeping t's identity and
   autograd flags: every handle to t sees the new data (how a module moves to a device). */
HS_API int32_t hs_tensor_set_data(hs_tensor* t, const hs_tensor* src);
HS_API int32_t hs_tensor_dim(const hs_tensor* t, int64_t* out);
/* Writes min(cap, dim) sizes to buf and the dim to *ndim. */
HS_API int32_t hs_tensor_shape(const hs_tensor* t, int64_t* buf, int64_t cap, int64_t* ndim);
HS_API int32_t hs_tensor_dtype(const hs_tensor* t, int32_t* out);
HS_API int32_t hs_tensor_device(const hs_tensor* t, int32_t* type, int32_t* index);
HS_API int32_t hs_tensor_numel(const hs_tensor* t, int64_t* out);
HS_API int32_t hs_tensor_requires_grad(const hs_tensor* t, int32_t* out);
HS_API int32_t hs_tensor_set_requires_grad(hs_tensor* t, int32_t requires_grad);
HS_API int32_t hs_tensor_is_leaf(const hs_tensor* t, int32_t* out);
HS_API int32_t hs_tensor_item_double(const hs_tensor* t, double* out);
HS_API int32_t hs_tensor_item_int64(const hs_tensor* t, int64_t* out);
/* nbytes must equal numel * element size; works for any device and any strides. */
HS_API int32_t hs_tensor_copy_to_host(const hs_tensor* t, void* buf, int64_t nbytes);
HS_API int32_t hs_tensor_from_host(const void* buf, int64_t nbytes, const int64_t* shape,
                                   int64_t ndim, int32_t dtype, int32_t device_type,
                                   int32_t device_index, hs_tensor** out);
/* Overwrites an existing tensor's contents from host memory (no allocation on CPU). */
HS_API int32_t hs_tensor_copy_from_host(hs_tensor* t, const void* buf, int64_t nbytes);
/* Human-readable rendering (like Python's repr), truncated to cap-1. */
HS_API int32_t hs_tensor_to_string(const hs_tensor* t, char* buf, int64_t cap, int64_t* len);

/* ---- factories and init ------------------------------------------------------------ */
HS_API int32_t hs_empty(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                        int32_t device_index, hs_tensor** out);
HS_API int32_t hs_zeros(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                        int32_t device_index, hs_tensor** out);
HS_API int32_t hs_ones(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                       int32_t device_index, hs_tensor** out);
HS_API int32_t hs_full(const int64_t* shape, int64_t ndim, double value, int32_t dtype,
                       int32_t device_type, int32_t device_index, hs_tensor** out);
HS_API int32_t hs_arange(double start, double end, double step, int32_t dtype,
                         int32_t device_type, int32_t device_index, hs_tensor** out);
HS_API int32_t hs_rand(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                       int32_t device_index, hs_tensor** out);
HS_API int32_t hs_randn(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                        int32_t device_index, hs_tensor** out);
HS_API int32_t hs_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim,
                          int32_t dtype, int32_t device_type, int32_t device_index,
                          hs_tensor** out);
HS_API int32_t hs_randperm(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index,
                           hs_tensor** out);
HS_API int32_t hs_rand_like(const hs_tensor* t, hs_tensor** out);
HS_API int32_t hs_bernoulli(const hs_tensor* probs, hs_tensor** out); /* elementwise p */
HS_API int32_t hs_normal_(hs_tensor* t, double mean, double std);
HS_API int32_t hs_uniform_(hs_tensor* t, double low, double high);
HS_API int32_t hs_zero_(hs_tensor* t);
HS_API int32_t hs_fill_(hs_tensor* t, double value);

/* ---- arithmetic (out of place) ------------------------------------------------------ */
HS_API int32_t hs_unary(int32_t op, const hs_tensor* a, hs_tensor** out);
HS_API int32_t hs_binary(int32_t op, const hs_tensor* a, const hs_tensor* b, hs_tensor** out);
HS_API int32_t hs_binary_scalar(int32_t op, const hs_tensor* a, double b, hs_tensor** out);
HS_API int32_t hs_add_alpha(const hs_tensor* a, const hs_tensor* b, double alpha, hs_tensor** out);
HS_API int32_t hs_pow_scalar(const hs_tensor* a, double exponent, hs_tensor** out);
/* has_min / has_max select which bound applies. */
HS_API int32_t hs_clamp(const hs_tensor* a, int32_t has_min, double min, int32_t has_max,
                        double max, hs_tensor** out);
HS_API int32_t hs_where(const hs_tensor* cond, const hs_tensor* a, const hs_tensor* b,
                        hs_tensor** out);

/* ---- in place (optimizers) ---------------------------------------------------------- */
HS_API int32_t hs_unary_(int32_t op, hs_tensor* t);
HS_API int32_t hs_binary_(int32_t op, hs_tensor* t, const hs_tensor* other); /* ADD..DIV, MAX/MIN */
HS_API int32_t hs_binary_scalar_(int32_t op, hs_tensor* t, double other);
HS_API int32_t hs_add_alpha_(hs_tensor* t, const hs_tensor* other, double alpha);
HS_API int32_t hs_addcmul_(hs_tensor* t, const hs_tensor* a, const hs_tensor* b, double value);
HS_API int32_t hs_addcdiv_(hs_tensor* t, const hs_tensor* a, const hs_tensor* b, double value);
HS_API int32_t hs_lerp_(hs_tensor* t, const hs_tensor* end, double weight);
HS_API int32_t hs_clamp_(hs_tensor* t, int32_t has_min, double min, int32_t has_max, double max);
HS_API int32_t hs_copy_(hs_tensor* t, const hs_tensor* src);

/* ---- reductions (ndims == 0 reduces over all dims) --------------------------------- */
HS_API int32_t hs_sum(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t keepdim,
                      hs_tensor** out);
HS_API int32_t hs_mean(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t keepdim,
                       hs_tensor** out);
HS_API int32_t hs_var(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t unbiased,
                      int32_t keepdim, hs_tensor** out);
HS_API int32_t hs_norm(const hs_tensor* t, double p, const int64_t* dims, int64_t ndims,
                       int32_t keepdim, hs_tensor** out);
HS_API int32_t hs_logsumexp(const hs_tensor* t, const int64_t* dims, int64_t ndims,
                            int32_t keepdim, hs_tensor** out);
HS_API int32_t hs_max_all(const hs_tensor* t, hs_tensor** out);
HS_API int32_t hs_min_all(const hs_tensor* t, hs_tensor** out);
HS_API int32_t hs_max_dim(const hs_tensor* t, int64_t dim, int32_t keepdim, hs_tensor** values,
                          hs_tensor** indices);
HS_API int32_t hs_argmax(const hs_tensor* t, int32_t has_dim, int64_t dim, int32_t keepdim,
                         hs_tensor** out);

/* ---- shape ------------------------------------------------------------------------- */
HS_API int32_t hs_reshape(const hs_tensor* t, const int64_t* shape, int64_t ndim, hs_tensor** out);
HS_API int32_t hs_view(const hs_tensor* t, const int64_t* shape, int64_t ndim, hs_tensor** out);
HS_API int32_t hs_expand(const hs_tensor* t, const int64_t* shape, int64_t ndim, hs_tensor** out);
HS_API int32_t hs_permute(const hs_tensor* t, const int64_t* dims, int64_t ndims, hs_tensor** out);
HS_API int32_t hs_transpose(const hs_tensor* t, int64_t dim0, int64_t dim1, hs_tensor** out);
HS_API int32_t hs_flatten(const hs_tensor* t, int64_t start_dim, int64_t end_dim, hs_tensor** out);
HS_API int32_t hs_squeeze(const hs_tensor* t, int32_t has_dim, int64_t dim, hs_tensor** out);
HS_API int32_t hs_unsqueeze(const hs_tensor* t, int64_t dim, hs_tensor** out);
HS_API int32_t hs_narrow(const hs_tensor* t, int64_t dim, int64_t start, int64_t length,
                         hs_tensor** out);
HS_API int32_t hs_flip(const hs_tensor* t, const int64_t* dims, int64_t ndims, hs_tensor** out);
HS_API int32_t hs_cat(const hs_tensor* const* ts, int64_t n, int64_t dim, hs_tensor** out);
HS_API int32_t hs_stack(const hs_tensor* const* ts, int64_t n, int64_t dim, hs_tensor** out);
/* Splits into pieces of split_size along dim (the last may be smaller). *count receives
 * the number of pieces; when cap < *count nothing is allocated and HS_ERROR is returned. */
HS_API int32_t hs_split(const hs_tensor* t, int64_t split_size, int64_t dim, hs_tensor** outs,
                        int64_t cap, int64_t* count);
HS_API int32_t hs_split_with_sizes(const hs_tensor* t, const int64_t* sizes, int64_t n,
                                   int64_t dim, hs_tensor** outs);
HS_API int32_t hs_index_select(const hs_tensor* t, int64_t dim, const hs_tensor* index,
                               hs_tensor** out);
HS_API int32_t hs_gather(const hs_tensor* t, int64_t dim, const hs_tensor* index, hs_tensor** out);
HS_API int32_t hs_one_hot(const hs_tensor* labels, int64_t num_classes, hs_tensor** out);

/* ---- functional NN ------------------------------------------------------------------ */
/* stride, padding, dilation: 2 values each (h, w). bias may be NULL. */
HS_API int32_t hs_conv2d(const hs_tensor* x, const hs_tensor* w, const hs_tensor* b,
                         const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                         int64_t groups, hs_tensor** out);
/* weight, bias, running_mean, running_var may be NULL; running stats update in place. */
HS_API int32_t hs_batch_norm(const hs_tensor* x, const hs_tensor* weight, const hs_tensor* bias,
                             hs_tensor* running_mean, hs_tensor* running_var, int32_t training,
                             double momentum, double eps, hs_tensor** out);
HS_API int32_t hs_linear(const hs_tensor* x, const hs_tensor* w, const hs_tensor* b,
                         hs_tensor** out);
HS_API int32_t hs_matmul(const hs_tensor* a, const hs_tensor* b, hs_tensor** out);
/* kernel, stride, padding: 2 values each. */
HS_API int32_t hs_max_pool2d(const hs_tensor* x, const int64_t* kernel, const int64_t* stride,
                             const int64_t* padding, int32_t ceil_mode, hs_tensor** out);
HS_API int32_t hs_avg_pool2d(const hs_tensor* x, const int64_t* kernel, const int64_t* stride,
                             const int64_t* padding, int32_t ceil_mode,
                             int32_t count_include_pad, hs_tensor** out);
HS_API int32_t hs_adaptive_avg_pool2d(const hs_tensor* x, int64_t out_h, int64_t out_w,
                                      hs_tensor** out);
HS_API int32_t hs_dropout(const hs_tensor* x, double p, int32_t train, hs_tensor** out);
HS_API int32_t hs_relu_(hs_tensor* x);
HS_API int32_t hs_elu(const hs_tensor* x, double alpha, double scale, double input_scale,
                      hs_tensor** out);
HS_API int32_t hs_softplus(const hs_tensor* x, double beta, double threshold, hs_tensor** out);
HS_API int32_t hs_softmax(const hs_tensor* x, int64_t dim, hs_tensor** out);
HS_API int32_t hs_log_softmax(const hs_tensor* x, int64_t dim, hs_tensor** out);
/* target: int64 class indices; weight may be NULL. */
HS_API int32_t hs_cross_entropy(const hs_tensor* logits, const hs_tensor* target,
                                const hs_tensor* weight, int32_t reduction, int64_t ignore_index,
                                double label_smoothing, hs_tensor** out);
HS_API int32_t hs_nll_loss(const hs_tensor* logp, const hs_tensor* target, const hs_tensor* weight,
                           int32_t reduction, int64_t ignore_index, hs_tensor** out);
HS_API int32_t hs_mse_loss(const hs_tensor* a, const hs_tensor* b, int32_t reduction,
                           hs_tensor** out);

/* ---- autograd ----------------------------------------------------------------------- */
/* grad may be NULL (scalar outputs). */
HS_API int32_t hs_backward(const hs_tensor* t, const hs_tensor* grad, int32_t retain_graph,
                           int32_t create_graph);
/* *out is NULL when the tensor has no gradient. */
HS_API int32_t hs_grad(const hs_tensor* t, hs_tensor** out);
/* grad == NULL clears the gradient. */
HS_API int32_t hs_set_grad(hs_tensor* t, const hs_tensor* grad);
HS_API int32_t hs_retain_grad(hs_tensor* t);
HS_API int32_t hs_grad_mode_get(int32_t* out); /* thread-local */
HS_API int32_t hs_grad_mode_set(int32_t enabled);
/* d(outputs)/d(inputs). grad_outputs may be NULL (all outputs scalar) or hold n_out
 * entries, each possibly NULL. outs[i] is NULL for an unused input when allow_unused. */
HS_API int32_t hs_autograd_grad(const hs_tensor* const* outputs, int64_t n_out,
                                const hs_tensor* const* grad_outputs,
                                const hs_tensor* const* inputs, int64_t n_in, int32_t retain_graph,
                                int32_t create_graph, int32_t allow_unused, hs_tensor** outs);

#ifdef __cplusplus
}
#endif

#endif /* HS_TORCH_H */
