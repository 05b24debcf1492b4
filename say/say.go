// Package say holds the station's one bilingual text: what a person is told, in Chinese (first,
// for the packer) and English. Every package that hands a sentence to the window or the
// terminal hands a Text; package explain writes them.
package say

// Text is one thing to tell a person, in both languages.
type Text struct {
	ZH string
	EN string
}

// T makes a Text, made Safe: whatever it quotes from outside cannot drive a terminal.
func T(zh, en string) Text { return Text{ZH: Safe(zh), EN: Safe(en)} }

// IsZero reports whether there is nothing to say.
func (t Text) IsZero() bool { return t.ZH == "" && t.EN == "" }

// In returns the text in one language ("zh" or "en"), the other one when that is empty.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" || t.ZH == "" {
		return t.EN
	}
	return t.ZH
}

// Lines is the text for a terminal: Chinese, then English indented on the next line.
func (t Text) Lines() string {
	switch {
	case t.ZH == "":
		return t.EN
	case t.EN == "":
		return t.ZH
	}
	return t.ZH + "\n  " + t.EN
}
