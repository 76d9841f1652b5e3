import Foundation
import Testing
@testable import TransferAlloc

/// The HTML pages in a real browser (headless chromium): the charts are drawn, the tables'
/// text is in the DOM, hostile names stay text. Skipped, with a message, where chromium is
/// not installed; CI installs it.
@Suite(.serialized, .enabled(if: Browser.isAvailable, Browser.skipMessage))
struct HTMLBrowserTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    /// Writes the command's HTML page to a temporary file.
    static func page(_ arguments: [String], in directory: URL) throws -> (url: URL, html: String) {
        let path = directory.appendingPathComponent("page.html").path
        let result = try CLI.run(arguments + ["--format", "html", "--output", path])
        #expect(result.status == 0, "\(result.stderr)")
        return (URL(fileURLWithPath: path), try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Σ width × height of the bars of one fill colour, from the page's SVG (exact px).
    static func barArea(_ html: String, fill: String) -> Double {
        var area = 0.0
        for piece in html.components(separatedBy: "<rect ").dropFirst() where piece.contains("fill=\"\(fill)\"") {
            let width = piece.components(separatedBy: "width=\"")[1].prefix { $0 != "\"" }
            area += Double(width)! * Double(BarChart.barHeight)
        }
        return area
    }

    @Test func allocateChartIsDrawnAndTableIsInTheDOM() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, html) = try HTMLBrowserTests.page(["allocate", "--scenario", "baseline"] + HTMLBrowserTests.sample, in: directory)
        // The first chart sits near the top; a tall window holds all of it.
        let shot = try Browser.screenshot(url, width: 1100, height: 1600)
        // The county chart (the first SVG); the prefecture chart is further down, off the screenshot.
        let expected = HTMLBrowserTests.barArea(html.components(separatedBy: "</svg>")[0], fill: BarChart.positiveFill)
        let drawn = Double(shot.count(color: BarChart.positiveFill))
        #expect(expected > 20_000)
        #expect(drawn >= 0.9 * expected && drawn <= 1.1 * expected, "bar pixels \(drawn), bars in the SVG \(expected)")
        #expect(shot.drawnPixels > Int(expected))   // text, rules and table besides the bars

        let dom = try Browser.dumpDOM(url)
        let csv = try CLI.run(["allocate", "--scenario", "baseline"] + HTMLBrowserTests.sample)
        for row in WhatifCommandTests.records(csv.stdout) {
            #expect(dom.contains(">\(ReadableNumbersTests.grouped(row["amount"]!))</td>"), "\(row["code"]!)")
            #expect(dom.contains(">\(row["name"]!)</td>"))
        }
        #expect(dom.contains(">475,000,000.00</td>"))   // the totals row
    }

    @Test func whatifDrawsGainsAndLossesInChinese() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, html) = try HTMLBrowserTests.page(["whatif", "--lang", "zh", "--scenario", "baseline", "--variant",
                                                     "w70:money.weights.settled=0.7", "--variant", "w70:money.weights.permits=0.3"]
                                                    + HTMLBrowserTests.sample, in: directory)
        let losses = HTMLBrowserTests.barArea(html, fill: BarChart.negativeFill)
        #expect(losses > 1_000)
        // Two sections (baseline against itself, and w70), each with two charts: render them all.
        let shot = try Browser.screenshot(url, width: 1100, height: 6000)
        let red = Double(shot.count(color: BarChart.negativeFill))
        #expect(red >= 0.9 * losses, "red pixels \(red), loss bars in the SVG \(losses)")
        let dom = try Browser.dumpDOM(url)
        #expect(dom.contains("与基准相比的增减额（元）") && dom.contains("<title>方案比较</title>"))
        let csv = try CLI.run(["whatif", "--scenario", "baseline", "--variant", "w70:money.weights.settled=0.7", "--variant",
                               "w70:money.weights.permits=0.3"] + HTMLBrowserTests.sample)
        for row in WhatifCommandTests.records(csv.stdout) where row["scenario"] == "w70" {
            #expect(dom.contains(">\(ReadableNumbersTests.grouped(row["change"]!))</td>"), "\(row["code"]!)")
        }
    }

    /// In a narrow window a table squeezes its columns; a county name must still stay on one
    /// line (and not break 张家港市 into 张家 / 港市). The page measures itself: a script counts
    /// the name cells whose text lies on more than one line.
    @Test func everyNameCellIsOneLine() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, html) = try HTMLBrowserTests.page(["allocate", "--lang", "zh", "--scenario", "baseline"] + HTMLBrowserTests.sample,
                                                     in: directory)
        let measure = """
        <script>
        const cells = [...document.querySelectorAll('td.name')];
        const wrapped = cells.filter(cell => {
          const range = document.createRange(); range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
        });
        document.body.setAttribute('data-names', String(cells.length));
        document.body.setAttribute('data-wrapped', wrapped.map(c => c.textContent).join('|') || 'none');
        </script>
        """
        let measured = directory.appendingPathComponent("measured.html")
        try html.replacingOccurrences(of: "</body>", with: measure + "</body>").write(to: measured, atomically: true, encoding: .utf8)
        let dom = try Browser.run(["--dump-dom", "--window-size=360,800"], page: measured)
        // 33 counties × (code, name), the totals row's two, 4 prefecture codes.
        #expect(dom.contains("data-names=\"72\""), "\(dom.prefix(400))")
        #expect(dom.contains("data-wrapped=\"none\""), "\(dom.components(separatedBy: "data-wrapped=").last?.prefix(200) ?? "")")
    }

    @Test func hostileNamesStayText() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = try CLI.write("""
        code,name,settled,permit_holders
        1,<script>document.body.innerHTML='pwned'</script>,100,10
        2,<img src=x onerror=alert(1)>,50,20
        3,"=HYPERLINK(""http://evil.example"",""x"")",10,5
        """, to: "s.csv", in: directory)
        let (url, _) = try HTMLBrowserTests.page(["allocate", "--settlement", settlement, "--fund-total", "1000"], in: directory)
        let dom = try Browser.dumpDOM(url)
        #expect(!dom.contains("pwned</body>") && !dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;document.body.innerHTML='pwned'&lt;/script&gt;"))
        #expect(dom.contains("'=HYPERLINK(\"http://evil.example\",\"x\")"))
    }
}
