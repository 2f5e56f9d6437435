<?xml version="1.0" encoding="utf-8"?>
<!-- A browser opening one of the archive's Atom feeds shows this page instead of raw XML
     (archive/feeds.py names it in an xml-stylesheet line); feed readers ignore it.
     No inline style or script: the feed's Content-Security-Policy applies to the page. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom"
                exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/atom:feed">
    <html lang="{@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap header-inner"><a class="site-name" href="/">江苏区域产业新闻档案</a></div>
        </header>
        <main class="wrap feed-page" id="main">
          <p class="feed-note">
            这是订阅源(Atom):把本页的网址复制到新闻阅读器里即可订阅,有新文章时阅读器会显示。
            <span lang="en">This is a news feed: copy this page's address into a feed reader to follow it.</span>
          </p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="muted"><xsl:value-of select="atom:subtitle"/></p>
          <p><a href="{atom:link[@rel='alternate']/@href}">在网站上查看 <span lang="en">(view on the site)</span></a></p>
          <ul class="article-list">
            <xsl:for-each select="atom:entry">
              <li class="article-item">
                <a class="headline" href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a>
                <div class="meta">
                  <span><xsl:value-of select="substring(atom:published, 1, 10)"/></span>
                  <xsl:for-each select="atom:category"><span><xsl:value-of select="@term"/></span></xsl:for-each>
                  <xsl:if test="atom:author/atom:name"><span><xsl:value-of select="atom:author/atom:name"/></span></xsl:if>
                </div>
                <p class="snippet">
                  <xsl:call-template name="text-only"><xsl:with-param name="html" select="atom:summary"/></xsl:call-template>
                </p>
              </li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- The summaries are HTML (a search's has <mark> around the words found): shown as text. -->
  <xsl:template name="text-only">
    <xsl:param name="html"/>
    <xsl:choose>
      <xsl:when test="contains($html, '&lt;')">
        <xsl:value-of select="substring-before($html, '&lt;')"/>
        <xsl:call-template name="text-only">
          <xsl:with-param name="html" select="substring-after(substring-after($html, '&lt;'), '&gt;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$html"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
