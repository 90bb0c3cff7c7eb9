"""Chinese text helpers: pinyin search keys and the natural order of the paper booklets."""
