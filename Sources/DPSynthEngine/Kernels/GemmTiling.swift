/// How a matrix product C = op(A)·op(B) (m×n, inner size k) is cut into tiles for the worker
/// pool: a grid of row blocks × column blocks of C, decided by m, n and k alone.
///
/// Why by the shapes alone: OpenBLAS picks kernels and blockings by the size of each call, so
/// a tile may round differently from the whole product. With tiles that do not depend on the
/// thread count, a product gives the same bits on 1, 2 or 16 threads (the tiles simply run one
/// after another on one thread), and seeded training stays reproducible across machines with
/// different core counts.
///
/// Sizes: every tile repeats OpenBLAS's packing of the operand it does not split, so tiles cost
/// more the smaller they are. Measured one-threaded on the benchmark's shapes (64–1024 rows,
/// 64–256 columns, inner 64–1024; `docs/ghost-clipping.md`), 2 tiles cost 0–7 % over the whole
/// product, 4 tiles 2–11 % when the larger side is split, 8 tiles 6–36 %. So a product is cut
/// into at most `smallProductTiles` tiles of at least `minimumTileWork` multiply-adds (a few
/// tens of microseconds, against a hand-off of about a microsecond), and only products of at
/// least `largeTileWork` per tile into more, up to `maximumTiles`. Four tiles rather than two
/// for two threads: a worker that comes late (it was drawing noise) still takes a share. The
/// dimension split first is the one whose other operand is the smaller: splitting C's columns
/// repeats the packing of op(A) (m×k) in every tile, splitting its rows repeats op(B)'s (k×n).
struct GemmTiling {
    static let minimumTileWork = 1 << 20
    static let smallProductTiles = 4
    static let largeTileWork = 1 << 23
    static let maximumTiles = 16
    /// Block boundaries fall on multiples of this (whole SIMD kernel blocks, 64-byte lines).
    static let alignment = 16
    /// The smallest block side a dimension is cut into.
    static let minimumBlock = 32

    let m: Int, n: Int
    let rowBlocks: Int, columnBlocks: Int
    var count: Int { rowBlocks * columnBlocks }

    init(m: Int, n: Int, k: Int) {
        self.m = m
        self.n = n
        let work = m * n * k
        var tiles = 1
        while tiles < Self.maximumTiles {
            let perTile = work / (2 * tiles)
            guard perTile >= (2 * tiles <= Self.smallProductTiles ? Self.minimumTileWork : Self.largeTileWork) else { break }
            tiles *= 2
        }
        var rowBlocks = 1, columnBlocks = 1
        let columnsFirst = m <= n
        while rowBlocks * columnBlocks < tiles {
            let canSplitRows = m / (2 * rowBlocks) >= Self.minimumBlock
            let canSplitColumns = n / (2 * columnBlocks) >= Self.minimumBlock
            if canSplitColumns && (columnsFirst || !canSplitRows) {
                columnBlocks *= 2
            } else if canSplitRows {
                rowBlocks *= 2
            } else {
                break
            }
        }
        self.rowBlocks = rowBlocks
        self.columnBlocks = columnBlocks
    }

    /// The rows of C in `tile` (tiles run row block by row block).
    func rows(ofTile tile: Int) -> Range<Int> {
        Self.block(tile / columnBlocks, of: rowBlocks, size: m)
    }

    /// The columns of C in `tile`.
    func columns(ofTile tile: Int) -> Range<Int> {
        Self.block(tile % columnBlocks, of: columnBlocks, size: n)
    }

    private static func block(_ index: Int, of blocks: Int, size: Int) -> Range<Int> {
        func boundary(_ b: Int) -> Int {
            b == blocks ? size : Swift.min(size, (size * b / blocks + alignment - 1) / alignment * alignment)
        }
        return boundary(index)..<boundary(index + 1)
    }
}
