package secretsmanager

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type randomPasswordInput struct {
	PasswordLength          *int64 `json:"PasswordLength"`
	ExcludeCharacters       string `json:"ExcludeCharacters"`
	ExcludeNumbers          bool   `json:"ExcludeNumbers"`
	ExcludePunctuation      bool   `json:"ExcludePunctuation"`
	ExcludeUppercase        bool   `json:"ExcludeUppercase"`
	ExcludeLowercase        bool   `json:"ExcludeLowercase"`
	IncludeSpace            bool   `json:"IncludeSpace"`
	RequireEachIncludedType *bool  `json:"RequireEachIncludedType"`
}

type randomPasswordOutput struct {
	RandomPassword string `json:"RandomPassword"`
}

// Character classes of GetRandomPassword (the API reference lists the
// punctuation set).
const (
	lowerChars = "abcdefghijklmnopqrstuvwxyz"
	upperChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars = "0123456789"
	punctChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
)

// getRandomPassword draws a password from the sandbox's randomness: length
// 4–4096 (default 32), optionally at least one of each included class.
func (s *Service) getRandomPassword(r *svc.Request) (any, error) {
	var in randomPasswordInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	n := int64(32)
	if in.PasswordLength != nil {
		n = *in.PasswordLength
	}
	if n < 1 || n > 4096 {
		return nil, errValidation("1 validation error detected: Value '%d' at 'passwordLength' failed to satisfy constraint: Member must have value between 1 and 4096", n)
	}
	if len(in.ExcludeCharacters) > 4096 {
		return nil, errMaxLength("excludeCharacters", 4096)
	}
	if err := s.authorize(r, access{action: "GetRandomPassword"}); err != nil {
		return nil, err
	}
	var classes []string
	add := func(excluded bool, chars string) {
		if excluded {
			return
		}
		kept := strings.Map(func(c rune) rune {
			if strings.ContainsRune(in.ExcludeCharacters, c) {
				return -1
			}
			return c
		}, chars)
		if kept != "" {
			classes = append(classes, kept)
		}
	}
	add(in.ExcludeLowercase, lowerChars)
	add(in.ExcludeUppercase, upperChars)
	add(in.ExcludeNumbers, digitChars)
	add(in.ExcludePunctuation, punctChars)
	add(!in.IncludeSpace, " ")
	if len(classes) == 0 {
		return nil, errInvalidParameter("The password can't be generated because every character type is excluded.")
	}
	each := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if each && int(n) < len(classes) {
		return nil, errInvalidParameter("The password length is too short to include every required character type.")
	}
	pw, err := s.password(int(n), classes, each)
	if err != nil {
		return nil, err
	}
	return randomPasswordOutput{RandomPassword: pw}, nil
}

func (s *Service) password(n int, classes []string, each bool) (string, error) {
	all := strings.Join(classes, "")
	out := make([]byte, n)
	for i := range out {
		c, err := s.pick(all)
		if err != nil {
			return "", err
		}
		out[i] = c
	}
	if each {
		// Put one character of each class at distinct random positions.
		pos := make([]int, n)
		for i := range pos {
			pos[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j, err := s.intn(i + 1)
			if err != nil {
				return "", err
			}
			pos[i], pos[j] = pos[j], pos[i]
		}
		for k, class := range classes {
			c, err := s.pick(class)
			if err != nil {
				return "", err
			}
			out[pos[k]] = c
		}
	}
	return string(out), nil
}

func (s *Service) pick(chars string) (byte, error) {
	i, err := s.intn(len(chars))
	if err != nil {
		return 0, err
	}
	return chars[i], nil
}

// intn is an unbiased random integer in [0, n), n ≤ 65536.
func (s *Service) intn(n int) (int, error) {
	limit := 65536 - 65536%n
	var b [2]byte
	for {
		if _, err := readFull(s.env.Rand, b[:]); err != nil {
			return 0, err
		}
		if v := int(b[0])<<8 | int(b[1]); v < limit {
			return v % n, nil
		}
	}
}
