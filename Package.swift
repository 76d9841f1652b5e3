// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TransferAlloc",
    products: [
        .library(name: "TransferAlloc", targets: ["TransferAlloc"]),
        .executable(name: "transfercalc", targets: ["transfercalc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only for inputs whose exact intermediates outgrow Int128; the hot path stays on Int128.
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        // Workbooks (.xlsx) only: the zip container, kept out of the library's formulas.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "TransferAlloc",
            dependencies: ["CPrefetch", .product(name: "BigInt", package: "BigInt")]
        ),
        // One static inline C function: a cache prefetch for the register reader's id table.
        .target(name: "CPrefetch"),
        // One static inline C function: the C allocator's trim setting, for `sweep`.
        .target(name: "CAllocator"),
        // Reading and writing .xlsx workbooks: sheets to rows of text cells and report tables to
        // sheets; the library itself never sees a zip or XML.
        .target(
            name: "TransferAllocXLSX",
            dependencies: ["TransferAlloc", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .executableTarget(
            name: "transfercalc",
            dependencies: [
                "TransferAlloc",
                "TransferAllocXLSX",
                "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks/: deterministic national-scale inputs (not used by the tests).
        .executableTarget(name: "benchgen"),
        .testTarget(
            name: "TransferAllocTests",
            dependencies: ["TransferAlloc", "TransferAllocXLSX", "transfercalc", .product(name: "BigInt", package: "BigInt")],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
