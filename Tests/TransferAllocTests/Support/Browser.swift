import Foundation
import Testing

/// Headless chromium for the HTML report tests. CI installs it (`.ci/run`: Debian's chromium
/// and fonts-noto-cjk); on a machine without it the browser tests are skipped with a message.
enum Browser {
    /// The chromium binary: `$CHROMIUM` when set (a path that is not executable, e.g.
    /// `CHROMIUM=none`, turns the browser tests off), else the usual Debian and Chrome paths.
    static let executable: String? = {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var isAvailable: Bool { executable != nil }

    static let skipMessage: Comment = "chromium is not installed, so the HTML page is not rendered; CI installs it (apt-get install -y chromium fonts-noto-cjk)"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs chromium headless on `page` with `arguments`, in its own throw-away profile, and
    /// returns its standard output. Gives up after `timeout` seconds.
    static func run(_ arguments: [String], page: URL, timeout: TimeInterval = 120) throws -> String {
        guard let executable else { throw Failure(description: "chromium not found") }
        let scratch = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--force-device-scale-factor=1", "--disable-extensions", "--mute-audio",
                             "--user-data-dir=\(scratch.appendingPathComponent("profile").path)"]
            + arguments + [page.absoluteString]
        let outURL = scratch.appendingPathComponent("stdout")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "chromium did not finish within \(Int(timeout)) s")
        }
        try out.close()
        return String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
    }

    /// The page as chromium's DOM after parsing (what a reader's browser shows as text).
    static func dumpDOM(_ page: URL) throws -> String {
        try run(["--dump-dom"], page: page)
    }

    /// A screenshot of the page's top `width`×`height` px.
    static func screenshot(_ page: URL, width: Int, height: Int) throws -> PNGImage {
        let png = page.deletingLastPathComponent().appendingPathComponent("screenshot-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: png) }
        _ = try run(["--screenshot=\(png.path)", "--window-size=\(width),\(height)"], page: page)
        guard let data = FileManager.default.contents(atPath: png.path) else {
            throw Failure(description: "chromium wrote no screenshot")
        }
        return try PNGImage(bytes: Array(data))
    }
}

extension PNGImage {
    /// Pixels within `tolerance` of the colour `#rrggbb` on every channel.
    func count(color hex: String, tolerance: Int = 10) -> Int {
        let value = Int(hex.dropFirst(), radix: 16)!
        let (r, g, b) = (value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF)
        var count = 0
        for y in 0..<height {
            for x in 0..<width {
                let p = rgb(x: x, y: y)
                if abs(Int(p.r) - r) <= tolerance && abs(Int(p.g) - g) <= tolerance && abs(Int(p.b) - b) <= tolerance {
                    count += 1
                }
            }
        }
        return count
    }

    /// Pixels that are not (near) white: anything drawn.
    var drawnPixels: Int {
        var count = 0
        for y in 0..<height {
            for x in 0..<width {
                let p = rgb(x: x, y: y)
                if p.r < 235 || p.g < 235 || p.b < 235 { count += 1 }
            }
        }
        return count
    }
}
