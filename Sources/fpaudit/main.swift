import FPAuditCLI
import Foundation

let code = await FPAuditMain.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
