// FPAuditKit: everything a Swift program needs to verify rewrites under a
// policy and keep an audit log, behind one `import FPAuditKit`. The pipeline
// is ``Audit``; the modules below are re-exported for the types it takes and
// returns.

@_exported import FPAuditLog
@_exported import FPEval
@_exported import FPFormats
@_exported import FPGraph
@_exported import FPNumerics
@_exported import FPPolicy
@_exported import FPReduce
@_exported import FPReport
@_exported import FPTrace
@_exported import FPVerify
