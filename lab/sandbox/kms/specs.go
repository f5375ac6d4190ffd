package kms

import "slices"

// Key specs, usages and algorithms (aws-semantics §3.1, §3.2).

const (
	specSymmetric = "SYMMETRIC_DEFAULT"

	usageEncrypt = "ENCRYPT_DECRYPT"
	usageSign    = "SIGN_VERIFY"
	usageMAC     = "GENERATE_VERIFY_MAC"

	algSymmetric  = "SYMMETRIC_DEFAULT"
	algOAEPSHA1   = "RSAES_OAEP_SHA_1"
	algOAEPSHA256 = "RSAES_OAEP_SHA_256"
)

// allKeySpecs is the KeySpec enum of the API model, in the model's order;
// validation errors list it.
var allKeySpecs = []string{
	"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
	"ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512",
	"SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519",
}

var allKeyUsages = []string{"SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"}

var allKeyPairSpecs = []string{
	"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
	"ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519",
}

var allEncryptionAlgorithms = []string{algSymmetric, algOAEPSHA1, algOAEPSHA256, "SM2PKE"}

var allSigningAlgorithms = []string{
	"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
	"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
	"ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA",
	"ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512",
}

var allMACAlgorithms = []string{"HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"}

// specInfo describes what the sandbox implements for one key spec.
type specInfo struct {
	usages     []string // valid KeyUsage values
	encryption []string // EncryptionAlgorithms for ENCRYPT_DECRYPT
	signing    []string // SigningAlgorithms for SIGN_VERIFY
	mac        []string // MacAlgorithms for GENERATE_VERIFY_MAC
	rsaBits    int
	macBytes   int // HMAC key length
}

var rsaSigning = []string{
	"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
	"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
}

// specs holds the key specs the sandbox implements. SM2 (China Regions),
// ML-DSA and Ed25519 are in the enum but not emulated.
var specs = map[string]specInfo{
	specSymmetric:     {usages: []string{usageEncrypt}, encryption: []string{algSymmetric}},
	"RSA_2048":        {usages: []string{usageEncrypt, usageSign}, encryption: []string{algOAEPSHA1, algOAEPSHA256}, signing: rsaSigning, rsaBits: 2048},
	"RSA_3072":        {usages: []string{usageEncrypt, usageSign}, encryption: []string{algOAEPSHA1, algOAEPSHA256}, signing: rsaSigning, rsaBits: 3072},
	"RSA_4096":        {usages: []string{usageEncrypt, usageSign}, encryption: []string{algOAEPSHA1, algOAEPSHA256}, signing: rsaSigning, rsaBits: 4096},
	"ECC_NIST_P256":   {usages: []string{usageSign}, signing: []string{"ECDSA_SHA_256"}},
	"ECC_NIST_P384":   {usages: []string{usageSign}, signing: []string{"ECDSA_SHA_384"}},
	"ECC_NIST_P521":   {usages: []string{usageSign}, signing: []string{"ECDSA_SHA_512"}},
	"ECC_SECG_P256K1": {usages: []string{usageSign}, signing: []string{"ECDSA_SHA_256"}},
	"HMAC_224":        {usages: []string{usageMAC}, mac: []string{"HMAC_SHA_224"}, macBytes: 28},
	"HMAC_256":        {usages: []string{usageMAC}, mac: []string{"HMAC_SHA_256"}, macBytes: 32},
	"HMAC_384":        {usages: []string{usageMAC}, mac: []string{"HMAC_SHA_384"}, macBytes: 48},
	"HMAC_512":        {usages: []string{usageMAC}, mac: []string{"HMAC_SHA_512"}, macBytes: 64},
}

// validUsage reports whether AWS accepts usage with spec (aws-semantics
// §3.1), including the KEY_AGREEMENT pairs the sandbox does not emulate.
func validUsage(spec, usage string) bool {
	switch {
	case spec == specSymmetric:
		return usage == usageEncrypt
	case len(spec) > 5 && spec[:5] == "HMAC_":
		return usage == usageMAC
	case len(spec) > 4 && spec[:4] == "RSA_":
		return usage == usageEncrypt || usage == usageSign
	case spec == "ECC_NIST_P256" || spec == "ECC_NIST_P384" || spec == "ECC_NIST_P521":
		return usage == usageSign || usage == "KEY_AGREEMENT"
	case spec == "SM2":
		return usage == usageEncrypt || usage == usageSign || usage == "KEY_AGREEMENT"
	default: // ECC_SECG_P256K1, ECC_NIST_EDWARDS25519, ML_DSA_*
		return usage == usageSign
	}
}

// algorithmsFor lists the algorithms a key of spec and usage offers, for
// KeyMetadata and GetPublicKey.
func algorithmsFor(spec, usage string) (enc, sign, mac []string) {
	info := specs[spec]
	switch usage {
	case usageEncrypt:
		return info.encryption, nil, nil
	case usageSign:
		return nil, info.signing, nil
	case usageMAC:
		return nil, nil, info.mac
	}
	return nil, nil, nil
}

// rsaMaxPlaintext is AWS's per-call RSA encryption limit:
// key bytes − 2·hash bytes − 2 (aws-semantics §3.3).
func rsaMaxPlaintext(bits int, alg string) int {
	h := 32
	if alg == algOAEPSHA1 {
		h = 20
	}
	return bits/8 - 2*h - 2
}

func contains(list []string, v string) bool { return slices.Contains(list, v) }
