// The translation unit that builds native-tests/test_pch.hpp's precompiled header for the
// tests to reuse; it defines nothing.
