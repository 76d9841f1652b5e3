import ArgumentParser
import Foundation
import TransferAlloc

struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sum a settlement register (one row per settled person) into the settlement table.",
        discussion: """
            The register is a CSV file with dest_code (落户地代码), origin_code (迁出地代码), \
            settle_date (落户日期) and optionally person_id (身份标识) and agricultural \
            (农业转移人口: rows that are not agricultural migrants are checked, not counted). \
            Rows of --year fill cross_province, within_province and within_city by province \
            (first 2 characters) and prefecture (first 4; a municipality 11/12/31/50 is one \
            prefecture; a code with 90 in characters 3–4 is its own); rows of year Y−k fill \
            prior_k (1 ≤ k ≤ --prior), or its three origin columns with --prior-by-origin; \
            other years are counted on stderr. --code-map renames codes first. The file is \
            streamed, never loaded whole.
            Exit status: 0 success, 1 bad data, 64 bad command line.
            """)

    @Argument(help: "The settlement register (CSV, UTF-8 or GB18030).")
    var register: String

    @Option(help: "Y, the current year: its rows fill the origin columns.")
    var year: Int

    @Option(help: "K: rows of year Y−k fill prior_k for 1 ≤ k ≤ K.")
    var prior: Int = 4

    @Flag(help: "Write each prior year as prior_k_cross_province, prior_k_within_province and prior_k_within_city.")
    var priorByOrigin = false

    @Option(help: ArgumentHelp("A CSV of old_code,new_code (原代码,新代码): renamed or merged county codes, applied to both codes of every row; chains are followed.", valueName: "file"))
    var codeMap: String?

    @Option(help: "Encoding of the register: utf8 or gb18030. Default: detected from the first 64 KiB.")
    var encoding: String?

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Language of the headers: en or zh.")
    var lang: ReportLanguage = .en

    @Flag(help: "CSV for Excel: UTF-8 BOM and CRLF line ends.")
    var excel = false

    @Flag(help: "No progress bar on stderr.")
    var quiet = false

    @Option(help: ArgumentHelp("Threads to read with (1 or 2).", visibility: .hidden))
    var threads = 2

    func validate() throws {
        guard (1...9999).contains(year) else {
            throw ValidationError("--year \(year) is not a year; expected a year 1–9999, e.g. 2023")
        }
        guard prior >= 0, prior <= 100 else {
            throw ValidationError("--prior \(prior) is out of range; expected 0–100 earlier years (default 4)")
        }
        guard year - prior >= 1 else {
            throw ValidationError("--year \(year) with --prior \(prior) reaches before year 1")
        }
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding \(encoding) is not known; expected utf8 or gb18030")
        }
        guard threads == 1 || threads == 2 else { throw ValidationError("--threads must be 1 or 2") }
    }

    func run() throws {
        try Terminal.run {
            try Terminal.refuseOverwriting(inputs: [register], outputs: [(FlagName.output, output)])
            let bar: ProgressBar? = !quiet && isatty(2) == 1 ? ProgressBar() : nil
            var report: (@Sendable (RegisterProgress) -> Void)?
            if let bar { report = { progress in bar.show(progress) } }
            let forced = encoding.flatMap(TextEncoding.init(name:))
            let map = try codeMap.map { path throws(InputError) in try CodeMap.read(path: path, encoding: forced) }
            let result = try RegisterFile.aggregate(
                path: register, year: year, priorYears: prior, priorByOrigin: priorByOrigin, codeMap: map,
                encoding: forced, threads: threads, progress: report)
            bar?.clear()
            for note in result.notes {
                StandardStreams.writeError("transfercalc: \(note)\n")
            }
            try Terminal.emit(result.csv(language: lang, excel: excel), to: output)
        }
    }
}

/// One line on a terminal's stderr: bytes, rows, MB/s and the time left. Redrawn at most
/// ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    func show(_ progress: RegisterProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let seconds = max(now.timeIntervalSince(start), 0.001)
        let megabytes = Double(progress.bytes) / 1e6
        let rate = megabytes / seconds
        var line = "\r\u{1B}[K" + String(format: "%.0f MB, %@ rows, %.0f MB/s", megabytes,
                                           grouped(progress.rows), rate)
        if progress.totalBytes > 0 {
            let fraction = min(1, Double(progress.bytes) / Double(progress.totalBytes))
            let width = 24
            let done = Int(fraction * Double(width))
            let left = rate > 0 ? (Double(progress.totalBytes) / 1e6 - megabytes) / rate : 0
            line = "\r\u{1B}[K[" + String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
                + String(format: "] %3.0f%%  ", fraction * 100) + String(line.dropFirst(4))
                + String(format: ", ETA %d:%02d", Int(left) / 60, Int(left) % 60)
        }
        StandardStreams.writeError(line)
    }

    func clear() {
        StandardStreams.writeError("\r\u{1B}[K")
    }

    private func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
