package azure

import (
	"math/big"
	"net/netip"
)

// mapPrefix translates p (inside one of from) to the same offset in the
// matching entry of to (static 1:1 NAT, §6.2 [R] host offset kept).
func mapPrefix(p netip.Prefix, from, to []netip.Prefix) (netip.Prefix, bool) {
	for i, f := range from {
		if i >= len(to) || f.Bits() > p.Bits() || !f.Contains(p.Addr()) {
			continue
		}
		a, ok := mapAddrIn(p.Addr(), f, to[i])
		if !ok {
			return netip.Prefix{}, false
		}
		bits := p.Bits() - f.Bits() + to[i].Bits()
		if bits > a.BitLen() {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, bits).Masked(), true
	}
	return netip.Prefix{}, false
}

// mapAddr translates ip from one of from to the matching entry of to.
func mapAddr(ip netip.Addr, from, to []netip.Prefix) (netip.Addr, bool) {
	for i, f := range from {
		if i < len(to) && f.Contains(ip) {
			return mapAddrIn(ip, f, to[i])
		}
	}
	return netip.Addr{}, false
}

// mapAddrIn keeps ip's host offset within from and applies it to to. An
// offset beyond to's size wraps (dynamic pools are smaller; §6.2).
func mapAddrIn(ip netip.Addr, from, to netip.Prefix) (netip.Addr, bool) {
	if ip.BitLen() != to.Addr().BitLen() {
		return netip.Addr{}, false
	}
	off := new(big.Int).Sub(new(big.Int).SetBytes(ip.AsSlice()), new(big.Int).SetBytes(from.Masked().Addr().AsSlice()))
	size := new(big.Int).Lsh(big.NewInt(1), uint(to.Addr().BitLen()-to.Bits()))
	off.Mod(off, size)
	v := new(big.Int).Add(new(big.Int).SetBytes(to.Masked().Addr().AsSlice()), off)
	b := v.FillBytes(make([]byte, ip.BitLen()/8))
	a, ok := netip.AddrFromSlice(b)
	return a, ok
}
