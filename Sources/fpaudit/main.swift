import FPAuditCLI
import Foundation

FPAuditMain.installInterruptHandler()
let code = await FPAuditMain.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
