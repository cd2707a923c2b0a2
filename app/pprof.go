package app

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
)

// loopbackOnly accepts host:port only for a loopback IP: the profiler has
// no login, so it must never listen where others can reach it.
func loopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && net.ParseIP(host).IsLoopback()
}

// startPprof serves Go's profiler on a loopback address of the operator's
// choice (PPROF_ADDR), for measuring under load; never on a public one.
func startPprof(addr string, log *slog.Logger) {
	if !loopbackOnly(addr) {
		log.Warn("PPROF_ADDR ignored: only a loopback address is allowed", "addr", addr)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		if err := http.ListenAndServe(addr, mux); err != nil {
			log.Warn("pprof listener stopped", "error", err.Error())
		}
	}()
}
