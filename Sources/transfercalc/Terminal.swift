import ArgumentParser
import Foundation
import TransferAlloc

/// Output plumbing shared by the subcommands: stdout/stderr bytes, atomic files, and the
/// mapping of library errors to exit statuses (1 bad data, 64 bad command line).
enum Terminal {
    static func warn(_ lines: [String]) {
        for line in lines { FileHandle.standardError.write(Data("transfercalc: warning: \(line)\n".utf8)) }
    }

    /// Writes the text to `--output` atomically, or to standard output.
    static func emit(_ text: String, to path: String?) throws(InputError) {
        if let path {
            try AtomicFile.write(Array(text.utf8), to: path)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Runs a subcommand body, printing library errors the same way everywhere.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            FileHandle.standardError.write(Data("transfercalc: error: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as InputErrors {
            for item in error.errors { FileHandle.standardError.write(Data("transfercalc: error: \(item)\n".utf8)) }
            throw ExitCode(1)
        } catch let error as UsageError {
            // Found only once the inputs were read: ArgumentParser would print the root
            // command's usage line here, which helps nobody, so say it plainly with status 64.
            FileHandle.standardError.write(Data("transfercalc: error: \(error.message) (see --help)\n".utf8))
            throw ExitCode.validationFailure
        }
    }
}
