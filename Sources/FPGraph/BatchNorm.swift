/// Which of XLA's three batch-normalisation opcodes a ``BatchNormConfig`` is.
public enum BatchNormKind: String, CaseIterable, Hashable, Sendable {
    /// `batch-norm-inference(operand, scale, offset, mean, variance)`: the normalised operand.
    case inference = "batch-norm-inference"
    /// `batch-norm-training(operand, scale, offset)`: (normalised operand, batch mean, biased batch variance).
    case training = "batch-norm-training"
    /// `batch-norm-grad(operand, scale, mean, variance, grad_output)`: (grad operand, grad scale, grad offset).
    case grad = "batch-norm-grad"

    /// How many operands the opcode takes.
    public var operandCount: Int { self == .training ? 3 : 5 }
}

/// The attributes of a batch-normalisation op (XLA `epsilon=`, `feature_index=`).
///
/// fpaudit evaluates these ops exactly as XLA CPU does after its
/// `BatchNormExpander` pass rewrites them into primitive ops (N is the number
/// of elements per feature, sums run over every dimension but the feature one,
/// in the configured reduction order, from +0):
/// ```
/// inference: k = scale * rsqrt(var + eps);  y = x * k + (offset - mean * k)
/// training:  mean = Σx / N;  var = Σ(x*x) / N - mean * mean;
///            y = (x - mean) * rsqrt(var + eps) * scale + offset
/// grad:      d = x - mean;  gs = Σ(gy * d) * rsqrt(var + eps);  gb = Σgy;
///            gx = (scale * rsqrt(var + eps) / N) * ((gy * N - gb) - Σ(gy * d) * d / (var + eps))
/// ```
/// every operation rounded to the operand's dtype in that order; `eps` is the
/// f32 attribute rounded to the dtype.
public struct BatchNormConfig: Hashable, Sendable {
    /// The opcode.
    public var kind: BatchNormKind
    /// Added to the variance before the square root (an f32 attribute in XLA).
    public var epsilon: Float
    /// The operand dimension that holds the features (the others are reduced over).
    public var featureIndex: Int

    /// Creates a batch-norm configuration.
    public init(kind: BatchNormKind, epsilon: Float, featureIndex: Int) {
        self.kind = kind
        self.epsilon = epsilon
        self.featureIndex = featureIndex
    }
}
