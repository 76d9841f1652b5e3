// benchgen: deterministic, national-scale inputs for Benchmarks/run.
//
//   benchgen counties DIR            DIR/settlement.csv (2,844 county-level units) and DIR/budget.csv
//   benchgen register FILE --rows N [--no-ids] [--agricultural] [--year Y] [--seed S]
//   benchgen codemap FILE [--seed S]   renamed codes for the register: every 25th county merged
//                                      into its neighbour, some in chains of two
//
// With --agricultural the register has a last column 农业转移人口 (是 for 85 % of rows, else 否).
//
// Codes are shaped like GB/T 2260: 31 real province prefixes, their prefectures (PP01…) and
// counties (PPCC01…). Same arguments, same bytes.
import Foundation

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
let countyTotal = 2_844

/// Counties as (province, prefecture, county) codes, deterministic from the seed.
func counties(seed: UInt64) -> [(code: String, parent: String)] {
    var random = SplitMix64(state: seed)
    // Spread 2,844 counties over 31 provinces (60–130 each), then over 6–16 prefectures each.
    var perProvince = provinces.map { _ in 60 + random.below(70) }
    var total = perProvince.reduce(0, +)
    var i = 0
    while total != countyTotal {
        if total < countyTotal, perProvince[i] < 180 { perProvince[i] += 1; total += 1 }
        if total > countyTotal, perProvince[i] > 20 { perProvince[i] -= 1; total -= 1 }
        i = (i + 1) % provinces.count
    }
    var out: [(String, String)] = []
    for (p, province) in provinces.enumerated() {
        let prefectures = 6 + random.below(11)
        var left = perProvince[p]
        for prefecture in 1...prefectures {
            let share = prefecture == prefectures ? left : max(1, min(left - (prefectures - prefecture), left / (prefectures - prefecture + 1) + random.below(3) - 1))
            let parent = String(format: "%02d%02d00", province, prefecture)
            for county in 0..<share {
                out.append((String(format: "%02d%02d%02d", province, prefecture, county + 1), parent))
            }
            left -= share
        }
    }
    precondition(out.count == countyTotal)
    return out
}

func write(_ text: String, to path: String) {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fatalError("cannot write \(path)") }
}

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let seed = UInt64(option("--seed") ?? "20231") ?? 20231

switch arguments.first {
case "counties":
    guard arguments.count >= 2 else { fatalError("usage: benchgen counties DIR") }
    let directory = arguments[1]
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var random = SplitMix64(state: seed ^ 0xC0FFEE)
    var csv = "code,name,parent,cross_province,within_province,within_city,prior_1,prior_2,prior_3,prior_4,permit_holders,fiscal_coef,prev_amount,land_per_capita,land_exempt\n"
    for (code, parent) in counties(seed: seed) {
        let scale = 1 + random.below(40)
        // Four-decimal coefficients (0.8930) as real fiscal-difficulty tables print them: they
        // make the exact share integers as wide as real runs do.
        let basisPoints = 7000 + random.below(6001)
        let coef = "\(basisPoints / 10000)." + String(format: "%04d", basisPoints % 10000)
        // About one county in 25 a megacity central district (land standard 0).
        let exempt = random.below(25) == 0 ? "1" : ""
        let land = String(format: "%d.%d", 70 + random.below(110), random.below(10))
        csv += "\(code),县\(code),\(parent),\(scale * random.below(300)),\(scale * random.below(500)),\(scale * random.below(900)),"
        csv += "\(scale * random.below(1500)),\(scale * random.below(1400)),\(scale * random.below(1300)),\(scale * random.below(1200)),"
        csv += "\(scale * random.below(20000)),\(coef),\(random.below(90_000_000) + 100_000).\(random.below(100)),\(land),\(exempt)\n"
    }
    write(csv, to: directory + "/settlement.csv")
    write("scenario,fund_total,fund_unit,reserve_ratio,land_quota\nbaseline,500,yi,0.03,123456.78\ntight,320,yi,0.05,80000\n", to: directory + "/budget.csv")
case "register":
    guard arguments.count >= 2, let rows = Int(option("--rows") ?? "") else {
        fatalError("usage: benchgen register FILE --rows N [--no-ids] [--agricultural] [--year Y] [--seed S]")
    }
    let path = arguments[1]
    let ids = !arguments.contains("--no-ids")
    let agricultural = arguments.contains("--agricultural")
    let year = Int(option("--year") ?? "2023") ?? 2023
    let codes = counties(seed: seed).map { Array($0.code.utf8) }
    // Counties grouped by prefecture and province, to pick origins of each class.
    var byPrefecture: [String: [Int]] = [:]
    var byProvince: [String: [Int]] = [:]
    for (i, code) in codes.enumerated() {
        byPrefecture[String(decoding: code.prefix(4), as: UTF8.self), default: []].append(i)
        byProvince[String(decoding: code.prefix(2), as: UTF8.self), default: []].append(i)
    }
    var random = SplitMix64(state: seed ^ 0x5EED)
    guard FileManager.default.createFile(atPath: path, contents: nil),
          let handle = FileHandle(forWritingAtPath: path) else { fatalError("cannot write \(path)") }
    var out: [UInt8] = []
    out.reserveCapacity(5 << 20)
    out += Array((ids ? "person_id,dest_code,origin_code,settle_date" : "dest_code,origin_code,settle_date").utf8)
    out += Array((agricultural ? ",农业转移人口\n" : "\n").utf8)
    let yes = Array(",是\n".utf8)
    let no = Array(",否\n".utf8)
    let digits = Array("0123456789".utf8)
    let checks = Array("0123456789X".utf8)
    for row in 0..<rows {
        let dest = random.below(codes.count)
        let kind = random.below(100)
        let destCode = codes[dest]
        let origin: Int
        if kind < 60 {
            let group = byPrefecture[String(decoding: destCode.prefix(4), as: UTF8.self)]!
            origin = group[random.below(group.count)]
        } else if kind < 85 {
            let group = byProvince[String(decoding: destCode.prefix(2), as: UTF8.self)]!
            origin = group[random.below(group.count)]
        } else {
            origin = random.below(codes.count)
        }
        if ids {
            // 6-digit origin code, then 11 digits unique per row (a bijection of the row
            // number mod 10^11), then a check character.
            out += codes[origin]
            var unique = (UInt64(row) &* 7_368_787_397 &+ 12_345) % 100_000_000_000
            var tail = [UInt8](repeating: 0x30, count: 11)
            for i in stride(from: 10, through: 0, by: -1) {
                tail[i] = digits[Int(unique % 10)]
                unique /= 10
            }
            out += tail
            out.append(checks[random.below(11)])
            out.append(0x2C)
        }
        out += destCode
        out.append(0x2C)
        out += codes[origin]
        out.append(0x2C)
        // Mostly the current and the four prior years; a few rows from other years.
        let age = random.below(100) < 97 ? random.below(5) : 5 + random.below(3)
        let y = year - age
        let month = 1 + random.below(12)
        let day = 1 + random.below(28)
        out += Array(String(y).utf8)
        out.append(0x2D)
        out.append(digits[month / 10]); out.append(digits[month % 10])
        out.append(0x2D)
        out.append(digits[day / 10]); out.append(digits[day % 10])
        if agricultural {
            out += random.below(100) < 85 ? yes : no
        } else {
            out.append(0x0A)
        }
        if out.count >= 4 << 20 {
            handle.write(Data(out))
            out.removeAll(keepingCapacity: true)
        }
    }
    handle.write(Data(out))
    handle.closeFile()
case "codemap":
    guard arguments.count >= 2 else { fatalError("usage: benchgen codemap FILE [--seed S]") }
    let codes = counties(seed: seed).map(\.code)
    var csv = "old_code,new_code\n"
    // County i merged into i + 1; every fourth such pair also renames i + 1 to i + 2 (a chain).
    for i in stride(from: 0, to: codes.count - 2, by: 25) {
        csv += "\(codes[i]),\(codes[i + 1])\n"
        if i % 100 == 0 { csv += "\(codes[i + 1]),\(codes[i + 2])\n" }
    }
    write(csv, to: arguments[1])
default:
    FileHandle.standardError.write(Data("usage: benchgen counties DIR | benchgen register FILE --rows N [--no-ids] [--agricultural] [--year Y] [--seed S] | benchgen codemap FILE\n".utf8))
    exit(64)
}
