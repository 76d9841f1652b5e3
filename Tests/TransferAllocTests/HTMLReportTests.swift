import BigInt
import Foundation
import Testing
@testable import TransferAlloc

/// The HTML pages as text: escaping, exact numbers, chart geometry, self-containment.
@Suite struct HTMLReportTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    @Test func escapesEverythingThatCouldBeMarkup() {
        #expect(HTMLPage.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(HTMLPage.escape("吴中区\tA\u{0}B\u{7F}") == "吴中区\tA\u{FFFD}B\u{FFFD}")
    }

    @Test func barLengthsAreExactThenRoundedToATenthOfAPixel() {
        let chart = BarChart(title: "t", bars: [.init(label: "a", value: Rational(9), text: "9"),
                                                .init(label: "b", value: Rational(1), text: "1")])
        let (zero, bars) = chart.geometry()
        #expect(zero == Rational(170))
        #expect(bars[0].width == Rational(420) && bars[1].width == Rational(140, 3))
        #expect(chart.svg().contains("width=\"46.7\""))   // 46.666… px, half up
        // Changes: −100 and +300 share the 420 px: zero line at 170 + 105.
        let changes = BarChart(title: "Δ", bars: [.init(label: "a", value: Rational(-100), text: "-100"),
                                                  .init(label: "b", value: Rational(300), text: "300")]).geometry()
        #expect(changes.zero == Rational(275))
        #expect(changes.bars[0].x == Rational(170) && changes.bars[0].width == Rational(105))
        #expect(changes.bars[1].x == Rational(275) && changes.bars[1].width == Rational(315))
        // All zero: no bars, no division by zero.
        #expect(BarChart(title: "0", bars: [.init(label: "a", value: .zero, text: "0.00")]).geometry().bars[0].width == .zero)
    }

    /// Every county's amount appears in the page with the CSV's digits, grouped by thousands, in a
    /// table cell and next to its bar.
    @Test func allocatePageHasEveryAmountOfTheCSV() throws {
        let csv = try CLI.run(["allocate"] + HTMLReportTests.sample)
        let html = try CLI.run(["allocate", "--format", "html"] + HTMLReportTests.sample)
        #expect(csv.status == 0 && html.status == 0, "\(html.stderr)")
        let records = WhatifCommandTests.records(csv.stdout)
        #expect(records.count == 4 * 33)
        for row in records {
            let amount = ReadableNumbersTests.grouped(row["amount"]!)
            #expect(html.stdout.contains("<td class=\"num\">\(amount)</td>"), "\(row["scenario"]!) \(row["code"]!)")
            #expect(html.stdout.contains("<text x=\"596\" y=\"") && html.stdout.contains(">\(amount)</text>"))
        }
        // Totals rows: the allocated sums.
        for total in ["475,000,000.00", "522,500,000.00", "490,000,000.00", "500,000,000.00"] {
            #expect(html.stdout.contains("<td class=\"num\">\(total)</td>"), "\(total)")
        }
        #expect(html.stdout.contains(HTMLPage.escape(HTMLPage.illustrativeNotice(.en))))
    }

    /// With levels (contract §10.5) the page charts each group's amount G_p, 市本级 included, by
    /// the group's name: 苏州市 211,904,573.24 (its counties get 190,714,115.92 of it), and a
    /// direct county's G_p (昆山市 51,592,734.04); the six bars add up to the allocated amount.
    @Test func levelsPageChartsEachGroupsAmount() throws {
        let levels = ["allocate", "--format", "html", "--settlement", "data/settlement-levels.csv", "--budget", "data/budget.csv",
                      "--policy", "data/policy-levels.json", "--scenario", "baseline"]
        let html = try CLI.run(levels)
        #expect(html.status == 0, "\(html.stderr)")
        let title = "Amount per group, retained included (元)"
        #expect(html.stdout.contains(title))
        let start = html.stdout.range(of: title)?.upperBound ?? html.stdout.endIndex
        let chart = html.stdout[start...].components(separatedBy: "</svg>").first ?? ""
        let expected = [("苏州市", "211,904,573.24"), ("昆山市", "51,592,734.04"), ("嘉兴市", "116,224,008.70"),
                        ("泰安市", "39,408,767.78")]
        for (name, amount) in expected {
            #expect(chart.contains(">\(name)</text>") && chart.contains(">\(amount)</text>"), "\(name) \(amount)")
        }
        #expect(!chart.contains(">190,714,115.92</text>"), "the chart shows G_p, not the counties' sum")
        let texts = chart.components(separatedBy: "</text>").compactMap { piece -> Decimal? in
            guard let text = piece.components(separatedBy: ">").last, text.contains("."),
                  let value = Decimal(string: text.replacingOccurrences(of: ",", with: "")) else { return nil }
            return value
        }
        #expect(texts.count == 6 && texts.reduce(0, +) == Decimal(string: "475000000.00"), "\(texts)")
        let zh = try CLI.run(levels + ["--lang", "zh"])
        #expect(zh.stdout.contains("各分组分配金额（含市本级，元）"))
    }

    @Test func whatifPageHasEveryChangeOfTheCSV() throws {
        let arguments = HTMLReportTests.sample + ["--variant", "w70:money.weights.settled=0.7", "--variant", "w70:money.weights.permits=0.3"]
        let csv = try CLI.run(["whatif"] + arguments)
        let html = try CLI.run(["whatif", "--format", "html", "--lang", "zh"] + arguments)
        #expect(csv.status == 0 && html.status == 0, "\(html.stderr)")
        for row in WhatifCommandTests.records(csv.stdout) {
            for key in ["amount", "change", "baseline_amount"] {
                #expect(html.stdout.contains("<td class=\"num\">\(ReadableNumbersTests.grouped(row[key]!))</td>"), "\(row["scenario"]!) \(row["code"]!) \(key)")
            }
        }
        #expect(html.stdout.contains("<title>方案比较</title>") && html.stdout.contains("与基准相比的增减额（元）"))
        #expect(html.stdout.contains("fill=\"\(BarChart.negativeFill)\""))
    }

    @Test func hostileNamesRenderAsText() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = try CLI.write("""
        code,name,settled,permit_holders
        <b>1</b>,<script>alert(1)</script>,100,10
        =2,"=HYPERLINK(""http://evil.example"",""x"")",50,20
        3,a & b ' c,10,5
        """, to: "s.csv", in: directory)
        let result = try CLI.run(["allocate", "--settlement", settlement, "--fund-total", "1000", "--format", "html"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = result.stdout
        #expect(!html.contains("<script") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;b&gt;1&lt;/b&gt;"))
        #expect(html.contains("<td class=\"name\">&#39;=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)</td>"))
        #expect(html.contains("<td class=\"name\">&#39;=2</td>") && html.contains("a &amp; b &#39; c"))
    }

    @Test func pagesAreSelfContained() throws {
        for command in ["allocate", "whatif"] {
            let html = try CLI.run([command, "--format", "html"] + HTMLReportTests.sample).stdout
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
            for external in ["<script", "<link", "src=", "@import", "url(", "https://"] {
                #expect(!html.contains(external), "\(command): \(external)")
            }
            // The only URL is the SVG namespace, which is never fetched.
            #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http://") == false)
        }
    }

    @Test func policyFileAndSourcesAreShown() throws {
        let html = try CLI.run(["allocate", "--format", "html", "--policy", "data/policy.json", "--set", "money.bounds.floor_amount=1",
                                "--scenario", "baseline"] + HTMLReportTests.sample).stdout
        #expect(html.contains("<dd>illustrative default (data/policy.json) + --set money.bounds.floor_amount=1</dd>"))
        #expect(!html.contains(HTMLPage.escape(HTMLPage.illustrativeNotice(.en))))
        #expect(html.contains("国土资发〔2016〕123号"))
        #expect(html.contains("<dt>--set</dt><dd>money.bounds.floor_amount=1</dd>"))
    }

    @Test func sameInputSameBytes() throws {
        let first = try CLI.run(["whatif", "--format", "html"] + HTMLReportTests.sample)
        let second = try CLI.run(["whatif", "--format", "html"] + HTMLReportTests.sample)
        #expect(first.stdoutBytes == second.stdoutBytes)
    }
}

@Suite struct DocumentHTMLTests {
    /// An explain/audit document renders through the same page builder, every text escaped.
    @Test func rendersEveryBlockOfADocument() {
        let document = ReportDocument(title: Localized("County <1>", "县 <1>"), sections: [
            DocumentSection(key: "money", title: Localized("Money", "资金"), blocks: [
                .lines([DocumentLine("share", Localized("Share", "分配比例"), "0.45", note: Localized("9/20", "9/20"))]),
                .table(key: "terms", columns: [ReportColumn("input", "输入", isText: true), ReportColumn("product", "乘积")],
                       rows: [["=cross_province", "120"]]),
                .paragraph(Localized("a & b", "甲 & 乙")),
            ]),
        ])
        let html = document.html(.zh)
        #expect(html.contains("<title>县 &lt;1&gt;</title>") && html.contains("<h2>资金</h2>"))
        #expect(html.contains("<dt>分配比例</dt><dd>0.45<br><small class=\"note\">9/20</small></dd>"))
        #expect(html.contains("<td>&#39;=cross_province</td><td class=\"num\">120</td>"))
        #expect(html.contains("<p>甲 &amp; 乙</p>"))
    }
}

/// `explain --format html`: the same derivation as the text, as one self-contained page.
@Suite struct ExplainHTMLTests {
    @Test func explainPageHasTheFinalAmountsPolicySourcesAndNoExternalResources() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("explain.html").path
        let result = try CLI.run(["explain", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv",
                                  "--code", "320506", "--format", "html", "--lang", "zh", "--output", path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("吴中区"))
        // The final amount of every scenario, as allocate prints it.
        for amount in ["43505945.13", "44879817.08"] { #expect(html.contains(amount), "\(amount)") }
        #expect(html.contains("国发〔2016〕44号"))       // a policy source note
        for external in ["<script src", "<link ", "http://", "https://", "@import", "url("] {
            #expect(!html.contains(external), "\(external)")
        }
    }
}
