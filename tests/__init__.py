"""Test suite of Cuecard; a package so shared fixture modules can be imported."""
