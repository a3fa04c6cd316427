# The chat page and its widget (web/): static files only, served by nginx.
# Build from the repository root (deploy/docker-compose.yml does this):
#   docker build -f deploy/docker/web.Dockerfile -t sscard-web .
FROM nginx:1.25-alpine
COPY web/ /usr/share/nginx/html/
EXPOSE 80
