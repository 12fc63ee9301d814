module github.com/puntos/puntos

go 1.26.0
