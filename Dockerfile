# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/weerbaar ./cmd/weerbaar

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/weerbaar /usr/local/bin/weerbaar
USER nonroot:nonroot
ENV LISTEN_ADDR=0.0.0.0:8080 WEERBAAR_DATA=/data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/weerbaar"]
CMD ["serve"]
