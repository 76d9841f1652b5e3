import Foundation
import Testing

/// The test-support PNG decoder, on images written by Python's zlib with every filter type
/// (row y uses filter y mod 5) and every DEFLATE block type. Pixel (x, y) of each image is
/// (16x mod 256, 16y mod 256, 8(x+y) mod 256[, 255 − x]).
@Suite struct PNGImageTests {
    static let images: [(name: String, width: Int, height: Int, channels: Int, base64: String)] = [
        ("stored", 5, 4, 3, "iVBORw0KGgoAAAANSUhEUgAAAAUAAAAECAIAAADJUWIXAAAAS0lEQVR4AQFAAL//AAAAABAACCAAEDAAGEAAIAEAEAgQAAgQAAgQAAgQAAgCABAIABAIABAIABAIABAIAwAgEAgICAgICAgICAgICFXQAnfjy4FdAAAAAElFTkSuQmCC"),
        ("fixed", 6, 5, 3, "iVBORw0KGgoAAAANSUhEUgAAAAYAAAAFCAIAAADpOgqxAAAAM0lEQVR42mNgYGAQYOBQYBAwYJBwYFAIYNBgZBDgAAohIyagEBpiZlAQ4EAFLCAZBhQEAMuzA3vg110jAAAAAElFTkSuQmCC"),
        ("dynamic", 48, 40, 4,
         "iVBORw0KGgoAAAANSUhEUgAAADAAAAAoCAYAAAC4h3lxAAAEsklEQVR42u3WqRPyRhzG8e0hkJGIiogK5ErkSkTFSmQkMqICGYlciVyJjERGIsN9w3KHe7nD3af9E9rOMO8MmXnkzmd+4jsTQgh5GyTyMonxpCT6YMS8cxK7WYRebRIPHcIugiTOkvCTS5JHj1gHn6T2itg7TdKaEGdrkMzGJGJNSXbFiFxykltYxJ3bJB84xJsJUphK4k9c0hh7RI18EgwV0QNNQgW/D78Hvwu/A78NvwW/Cb8Bvw6/Br8KvwK/DL8Evwjf/4kYkb8P+GH3Mw4gP/J+IabhRCIR8m+X+Q9v/4/3v/5zCfmRx2Nvg9OXyeNPytmD8cSdc36zePJqcyt0eOoiuH2WPH1yuXP0eObgc7FXPLvTXGrCc1uDuxuT59eUeyvGC0vO/YXFG3Obq8DhwUxwPZU8nLicjD0eGfncGCoeHWhuKvh9+D34Xfgd+G34LfhN+A34dfg1+FX4Ffhl+CX4RfiI2KLfiD8bceL3b8SfneRvQyZfprSeVKYeTNp3LtM3SzpXW2ZCR4qLkNmzlPLkytzRk+7Bl/m9kt5Oy4Im0t8asrExpVpTGayY1Esuw4UlydyWkcCRxkzI6FRKc+LK2NiTdOTL+FBJNtAyoeD34ffgd+F34Lfht+A34Tfg1+HX4FfhV+CX4ZfgF+EjYjf5jfizEdvxb8SfnU6/De28TJ15Ui0eTGfvXMubpXNXW7uho/MXob2z1IWTq/2jpxsHX6u90sFO4yM63BqabEwdWVNtrJiOLrk2F5aOzW1NA0fHZ0KzqdSJiav52NPJka+todKpgdY2/qrTffg9+F34Hfht+C34TfgN+HX4NfhV+BX4Zfgl+EXwiJg434g/G3H0j2/Enx2Tb4PlXiZzn5TlH4x5d84KN4v5V5s1Qoepi2DBWTJ9cll49Bg5+CyyV8zYaRbVhJlbg8U2JqNryuIrxtiSs8TCYnxus2TgMGsmWGoqmT1xWXrsMWfks8xQMTHQLKvg9+H34Hfhd+C34bfgN+E34Nfh1+BX4Vfgl+GX4BfhI2Ke+0b82YiZ9Y34sxOFtyH8lykaTyrUg4ngzoW+WSK82oKEjohchDDOUkRPrjCPnogdfEH3SsR3WjBNRGJrCL4xRXJNhbViIrXkwl5YIj23hRM4IjMTQkylyE5cIceeyI184Q6VyA+08BT8Pvwe/C78Dvw2/Bb8JvwG/Dr8Gvwq/Ar8MvwS/CJ8RCz9b8SfjTj15zfiz07pt6HCl6nIk6rIgynjzlX0ZinzaqtY6Ch6ESp+loqdXJU4eooffJXcK2XttEppouytodIbUzlrqjIrpsSSq+zCUnJuq1zgKHcmVH4qlTdxVWHsKX/kq8ZQKTXQKlDw+/B78LvwO/Db8Fvwm/Ab8Ovwa/Cr8Cvwy/BL8IvwEbEOvxF/NmIj8o34s6PRt0HNl0ljT0rpg9H4nVN2s2jialMeOjR5EdQ6S5o6udQ+ejR98KmzVzSz01RoQrNbg8qNSXNrSt0Vo/klp97CooW5Tf3AoY2ZoGoqaTBxqR57NBz5lAwVjQw0NRT8Pvwe/C78Dvw2/Bb8JvwG/Dr8Gvwq/Ar8MvwS/CJ8RMzMb8SfjTj+2zfiT+4v7O6EzF+yLkgAAAAASUVORK5CYII="),
    ]

    @Test(arguments: images.indices)
    func decodesEveryBlockTypeAndFilter(index: Int) throws {
        let image = PNGImageTests.images[index]
        let png = try PNGImage(bytes: Array(Data(base64Encoded: image.base64)!))
        #expect(png.width == image.width && png.height == image.height && png.channels == image.channels, "\(image.name)")
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = png.rgb(x: x, y: y)
                let expected = (UInt8(x * 16 % 256), UInt8(y * 16 % 256), UInt8((x + y) * 8 % 256))
                #expect(p == expected, "\(image.name) pixel (\(x), \(y))")
                if image.channels == 4 { #expect(png.pixels[(y * image.width + x) * 4 + 3] == UInt8(255 - x)) }
            }
        }
    }

    @Test func rejectsWhatIsNotAPNG() {
        #expect(throws: PNGImage.DecodeError.self) { try PNGImage(bytes: Array("not a png at all".utf8)) }
        let truncated = Array(Data(base64Encoded: PNGImageTests.images[2].base64)!.prefix(200))
        #expect(throws: PNGImage.DecodeError.self) { try PNGImage(bytes: truncated) }
    }
}
