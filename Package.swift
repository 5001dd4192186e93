// swift-tools-version:6.0
// DPSynth: differentially private synthetic data. One target per concern; arrows point one way:
// C libraries → Random → Engine / Accounting → Privacy → Tabular → Models → Audit → dpsynth.
import PackageDescription

/// Release builds of the numeric targets drop bounds checks inside the kernels' hot loops only
/// where the code itself uses unsafe buffers; everything else keeps Swift's checks.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "DPSynth",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dpsynth", targets: ["dpsynth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libsqlite3-dev, libcsv-dev; see scripts/setup.sh).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),

        .target(name: "CKernels"),
        .target(name: "DPSynthRandom", dependencies: ["CKernels"], swiftSettings: numericSettings),
        .target(name: "DPSynthEngine",
                dependencies: ["COpenBLAS", "CKernels", "DPSynthRandom"],
                swiftSettings: numericSettings),
        .target(name: "DPSynthAccounting",
                dependencies: [.product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "DPSynthPrivacy",
                dependencies: ["DPSynthEngine", "DPSynthAccounting", "DPSynthRandom", "CSQLite",
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: numericSettings),
        .target(name: "DPSynthTabular",
                dependencies: ["CCSV", "CSQLite", "DPSynthRandom", "DPSynthAccounting",
                               .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "DPSynthModels",
                dependencies: ["DPSynthEngine", "DPSynthPrivacy", "DPSynthTabular",
                               "DPSynthAccounting", "DPSynthRandom",
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: numericSettings),
        .target(name: "DPSynthAudit",
                dependencies: ["DPSynthTabular", "DPSynthEngine", "DPSynthModels",
                               "DPSynthPrivacy", "DPSynthAccounting", "DPSynthRandom"]),
        .executableTarget(name: "dpsynth",
                          dependencies: ["DPSynthEngine", "DPSynthAccounting", "DPSynthPrivacy",
                                         "DPSynthTabular", "DPSynthModels", "DPSynthAudit",
                                         "DPSynthRandom",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "DPSynthTestSupport",
                dependencies: ["DPSynthEngine", "DPSynthRandom",
                               .product(name: "Numerics", package: "swift-numerics")],
                path: "Sources/DPSynthTestSupport"),

        .testTarget(name: "DPSynthRandomTests", dependencies: ["DPSynthRandom"]),
        .testTarget(name: "DPSynthEngineTests", dependencies: ["DPSynthEngine", "DPSynthTestSupport"]),
        .testTarget(name: "DPSynthAccountingTests", dependencies: ["DPSynthAccounting", "DPSynthTestSupport"]),
        .testTarget(name: "DPSynthPrivacyTests", dependencies: ["DPSynthPrivacy", "DPSynthTestSupport"]),
        .testTarget(name: "DPSynthTabularTests", dependencies: ["DPSynthTabular", "DPSynthTestSupport"]),
        .testTarget(name: "DPSynthModelsTests", dependencies: ["DPSynthModels", "DPSynthAudit", "DPSynthTestSupport"]),
        .testTarget(name: "DPSynthAuditTests", dependencies: ["DPSynthAudit", "DPSynthTestSupport"], resources: [.copy("Resources")]),
        .testTarget(name: "DPSynthCLITests", dependencies: ["dpsynth", "DPSynthTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
