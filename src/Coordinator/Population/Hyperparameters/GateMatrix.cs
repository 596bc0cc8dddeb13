using System.Collections.Immutable;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The gate coefficients (V; C) of one hyper layer, row-major, as the worker reported them
/// (hyperparameters.proto <c>GateCoefficients</c>). The coordinator never reads the numbers; it
/// only carries them from a strong member to a weak one in a hyperparameter-only exchange.
/// </summary>
public sealed record GateMatrix(string Layer, int Rows, int Columns, ImmutableArray<float> Values);
