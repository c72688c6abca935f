module example.com/api

go 1.25.0

toolchain go1.25.4
