// Package analysis turns a message into a Query the matcher can use. It is
// the only package that imports kagome.
//
// Steps: clean (invalid UTF-8, control characters), cut to MaxRunes, Unicode
// NFKC (full/half width) and lower case; a folded key where hiragana and
// katakana, long-vowel marks and separators no longer matter
// (せきゅりてぃきゃんぷ = セキュリティ・キャンプ); Japanese words through
// kagome with the IPA dictionary (content words and noun compounds such as
// 中小企業); English words with stop words removed and Snowball stems; and
// every term of the knowledge vocabulary found in the message (Lexicon).
// Transliteration (translit.go) reads kana as romaji and sound keys and
// romaji as kana, so the matcher finds names written in the other script;
// english.go holds the ordinary English words the speller leaves alone.
//
// The IPA dictionary is loaded without its feature columns (ipa.DictShrink):
// measured on this project, the full dictionary costs 88 MB of heap and
// 146 MB RSS against 28 MB and 83 MB, and loads in 0.69 s against 0.39 s.
// What the shrunk dictionary lacks is base forms of inflected words; the
// vocabulary lists verb stems (乗っ取, 感染) instead, which the folded-key
// substring search finds in any inflection.
package analysis
