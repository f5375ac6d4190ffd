package policy

import "strings"

// opcode is a condition operator without its set qualifier and IfExists
// suffix.
type opcode uint8

const (
	opNone opcode = iota
	opStringEquals
	opStringNotEquals
	opStringEqualsIgnoreCase
	opStringNotEqualsIgnoreCase
	opStringLike
	opStringNotLike
	opNumericEquals
	opNumericNotEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateNotEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNotIPAddress
	opArnEquals
	opArnLike
	opArnNotEquals
	opArnNotLike
	opNull
)

// opFamily groups operators by the type of value they compare.
type opFamily uint8

const (
	famString opFamily = iota
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

type opInfo struct {
	name    string
	family  opFamily
	negated bool
}

var opTable = [...]opInfo{
	opNone:                      {"", famString, false},
	opStringEquals:              {"StringEquals", famString, false},
	opStringNotEquals:           {"StringNotEquals", famString, true},
	opStringEqualsIgnoreCase:    {"StringEqualsIgnoreCase", famString, false},
	opStringNotEqualsIgnoreCase: {"StringNotEqualsIgnoreCase", famString, true},
	opStringLike:                {"StringLike", famString, false},
	opStringNotLike:             {"StringNotLike", famString, true},
	opNumericEquals:             {"NumericEquals", famNumeric, false},
	opNumericNotEquals:          {"NumericNotEquals", famNumeric, true},
	opNumericLessThan:           {"NumericLessThan", famNumeric, false},
	opNumericLessThanEquals:     {"NumericLessThanEquals", famNumeric, false},
	opNumericGreaterThan:        {"NumericGreaterThan", famNumeric, false},
	opNumericGreaterThanEquals:  {"NumericGreaterThanEquals", famNumeric, false},
	opDateEquals:                {"DateEquals", famDate, false},
	opDateNotEquals:             {"DateNotEquals", famDate, true},
	opDateLessThan:              {"DateLessThan", famDate, false},
	opDateLessThanEquals:        {"DateLessThanEquals", famDate, false},
	opDateGreaterThan:           {"DateGreaterThan", famDate, false},
	opDateGreaterThanEquals:     {"DateGreaterThanEquals", famDate, false},
	opBool:                      {"Bool", famBool, false},
	opBinaryEquals:              {"BinaryEquals", famBinary, false},
	opIPAddress:                 {"IpAddress", famIP, false},
	opNotIPAddress:              {"NotIpAddress", famIP, true},
	opArnEquals:                 {"ArnEquals", famARN, false},
	opArnLike:                   {"ArnLike", famARN, false},
	opArnNotEquals:              {"ArnNotEquals", famARN, true},
	opArnNotLike:                {"ArnNotLike", famARN, true},
	opNull:                      {"Null", famNull, false},
}

// setQual is the ForAllValues:/ForAnyValue: qualifier.
type setQual uint8

const (
	setNone setQual = iota
	setForAll
	setForAny
)

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
// Operator names are matched case-insensitively. It reports false for an
// unknown operator and for Null with IfExists.
func parseOperator(s string) (op opcode, set setQual, ifExists bool, ok bool) {
	rest := s
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		switch strings.ToLower(rest[:i]) {
		case "forallvalues":
			set = setForAll
		case "foranyvalue":
			set = setForAny
		default:
			return 0, 0, false, false
		}
		rest = rest[i+1:]
	}
	if len(rest) > len("IfExists") && strings.EqualFold(rest[len(rest)-len("IfExists"):], "IfExists") {
		ifExists = true
		rest = rest[:len(rest)-len("IfExists")]
	}
	for i := opStringEquals; i <= opNull; i++ {
		if strings.EqualFold(opTable[i].name, rest) {
			if i == opNull && ifExists {
				return 0, 0, false, false
			}
			return i, set, ifExists, true
		}
	}
	return 0, 0, false, false
}
